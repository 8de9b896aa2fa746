"""import_agencies on a database without agencies: one province, code collisions, the command."""

from django.core.management import call_command

from accounts.importer import import_agencies
from accounts.models import Agency


def test_import_of_one_province_in_an_empty_database(db):
    result = import_agencies(["56"])
    assert result.created == 1 + Agency.objects.filter(province_code="56", level=Agency.Level.COMMUNE).count()
    assert Agency.objects.filter(level=Agency.Level.PROVINCE).count() == 1


def test_a_new_ward_never_takes_a_code_already_in_use(db):
    import_agencies(["01"])
    hanoi_first = Agency.objects.get(code="000.00.01.H01")
    hanoi_first.delete()  # as if the package later added this ward: its natural code is now held by another
    Agency.objects.filter(code="000.00.02.H01").update(code="000.00.01.H01")
    import_agencies(["01"])
    codes = list(Agency.objects.filter(province_code="01").values_list("code", flat=True))
    assert len(codes) == len(set(codes))


def test_command_reports_counts(db, capsys):
    call_command("import_agencies", "--province", "01", "--no-progress")
    assert "tạo mới" in capsys.readouterr().out
