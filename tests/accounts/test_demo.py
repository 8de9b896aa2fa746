"""Demo staff: real Hà Nội wards, one account per role, created once; the banner lists them."""

import sys
import types

from django.core.management import call_command
from django.http import HttpRequest

from accounts.demo import DEMO_PASSWORD, demo_usernames, seed_demo_staff
from accounts.models import Agency, Membership, Role, User


def test_seed_demo_staff_staffs_three_real_wards_for_every_role(db):
    staff = seed_demo_staff()
    assert staff.province.name == "Thành phố Hà Nội"
    assert [w.name for w in staff.wards] == ["Phường Hoàn Kiếm", "Phường Cửa Nam", "Phường Ba Đình"]
    for ward in staff.wards:
        roles = set(Membership.objects.filter(agency=ward).values_list("role", flat=True))
        assert {Role.CLERK, Role.HANDLER, Role.LEADER, Role.SUPERVISOR} <= roles
    assert Membership.objects.filter(agency=staff.province, role=Role.SUPERVISOR).exists()
    assert User.objects.get(username="congdan").memberships.get().role == Role.CITIZEN
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_every_demo_account_signs_in_with_the_demo_password(db, client):
    seed_demo_staff()
    for username in demo_usernames():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD), username
        assert user.full_name and " " in user.full_name
    # The sign-in lockout needs the request behind every password check.
    assert client.login(request=HttpRequest(), username="motcua.hoankiem", password=DEMO_PASSWORD)


def test_seed_demo_staff_is_idempotent(db):
    first = seed_demo_staff()
    counts = (User.objects.count(), Membership.objects.count(), Agency.objects.count())
    second = seed_demo_staff()
    assert first.created_users == len(demo_usernames())
    assert second.created_users == 0
    assert (User.objects.count(), Membership.objects.count(), Agency.objects.count()) == counts


def test_demo_uses_imported_agencies_when_present(db):
    from accounts.importer import import_agencies

    import_agencies(["01"])
    before = Agency.objects.count()
    staff = seed_demo_staff()
    assert Agency.objects.count() == before
    assert staff.wards[0].code == Agency.objects.get(province_code="01", ward_code="00070").code


def test_seed_demo_command_runs_twice(db, capsys):
    call_command("seed_demo", "--staff-only")
    call_command("seed_demo", "--staff-only")
    out = capsys.readouterr().out
    assert "15 tài khoản (0 mới)" in out


def test_seed_demo_then_seeds_the_demo_dossiers_with_its_output(db, monkeypatch):
    calls = []
    module = types.ModuleType("seeds.demo_dossiers")
    module.seed_demo_dossiers = lambda stdout: calls.append((User.objects.count(), stdout))
    monkeypatch.setitem(sys.modules, "seeds.demo_dossiers", module)
    call_command("seed_demo")
    assert len(calls) == 1
    users_when_called, stdout = calls[0]
    assert users_when_called == len(demo_usernames())  # staff first, then dossiers
    assert hasattr(stdout, "write")


def test_demo_banner_prints_the_url_pages_and_logins(db, capsys):
    seed_demo_staff()
    call_command("demo_banner", "--url", "http://127.0.0.1:8000")
    out = capsys.readouterr().out
    for page in ["/desk/", "/tra-cuu/", "/dashboard/", "/admin/", "/api/docs/"]:
        assert f"http://127.0.0.1:8000{page}" in out
    assert DEMO_PASSWORD in out
    for username in demo_usernames():
        assert username in out
    assert "Công chức một cửa" in out and "Phường Hoàn Kiếm" in out
    assert "Đăng nhập bằng VNeID" in out and "VNeID (mô phỏng) tại http://127.0.0.1:8089" in out
    assert "001090012345           Nguyễn Văn An" in out  # the local provider's demo citizens


def test_demo_banner_prints_each_wards_kiosk_and_display(db, capsys):
    wards = seed_demo_staff().wards
    call_command("demo_banner", "--url", "http://127.0.0.1:8000")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/desk/quay/" in out
    for ward in wards:
        assert f"http://127.0.0.1:8000/kiosk/{ward.code}/" in out
        assert f"http://127.0.0.1:8000/hien-thi/{ward.code}/" in out
