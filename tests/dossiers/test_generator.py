"""The bulk generator: realistic, consistent, deterministic dossiers whose codes never collide with intake."""

import re
from collections import Counter
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from dossiers.lifecycle import deadlines
from dossiers.lifecycle.codes import new_dossier_code
from dossiers.models import DailySequence, Dossier, DossierEvent, DossierStep, Status
from dossiers.models.dossier import FINAL, OPEN
from procedures.calendar import LOCAL_TZ, calendar, local
from seeds.generator import Options, generate

pytestmark = pytest.mark.django_db
END = datetime(2026, 6, 30, 16, 0, tzinfo=LOCAL_TZ)
COUNT = 2000


@pytest.fixture
def generated(ward, birth_registration):
    calendar.reset()
    result = generate(Options(count=COUNT, agencies=3, seed=11, end=END, days=120, batch=700))
    return result


def test_counts_and_rows(generated):
    assert generated.dossiers == Dossier.objects.count() == COUNT
    assert generated.steps == DossierStep.objects.count() > COUNT
    assert generated.events == DossierEvent.objects.count() > 3 * COUNT
    assert not Dossier.objects.annotate(n=Count("events")).filter(n=0).exists()


def test_codes_are_unique_and_follow_the_daily_sequence(generated):
    rows = list(Dossier.objects.values_list("code", "receiving_agency__code", "receiving_agency_id"))
    assert len({code for code, _, _ in rows}) == COUNT
    numbers: dict[tuple[int, str], list[int]] = {}
    for code, agency_code, agency_id in rows:
        match = re.fullmatch(rf"{re.escape(agency_code)}-(\d{{6}})-(\d{{4}})", code)
        assert match, code
        numbers.setdefault((agency_id, match[1]), []).append(int(match[2]))
    for (agency_id, yymmdd), used in numbers.items():
        assert sorted(used) == list(range(1, len(used) + 1))  # gapless from 1 on an empty database
        day = datetime.strptime(yymmdd, "%y%m%d").date()
        assert DailySequence.objects.get(agency_id=agency_id, day=day).last == max(used)


def test_a_later_intake_continues_the_sequence(generated):
    top = DailySequence.objects.order_by("-last").select_related("agency").first()
    at = datetime.combine(top.day, datetime.min.time(), tzinfo=LOCAL_TZ).replace(hour=10)
    code = new_dossier_code(top.agency, at)
    assert code.endswith(f"-{top.last + 1:04d}")
    assert not Dossier.objects.filter(code=code).exists()


def test_distributions_are_realistic(generated):
    statuses = Counter(Dossier.objects.values_list("status", flat=True))
    share = {s: n / COUNT for s, n in statuses.items()}
    assert share[Status.RETURNED] > 0.8
    assert 0.02 <= sum(share.get(s, 0) for s in OPEN + (Status.RESOLVED,)) <= 0.1
    assert all(statuses[s] > 0 for s in (Status.WITHDRAWN, Status.REFUSED, Status.STOPPED))
    online = Dossier.objects.filter(channel="online").count() / COUNT
    assert 0.5 <= online <= 0.7
    assert Dossier.objects.filter(supplement_count__gt=0).exists()
    finished = list(
        Dossier.objects.filter(finished_at__isnull=False, legal_due_at__isnull=False).values_list(
            "finished_at", "legal_due_at"
        )
    )
    late = sum(deadlines.classify_finish(f, due) == "late" for f, due in finished) / len(finished)
    assert 0.001 <= late <= 0.03
    assert Dossier.objects.filter(apology_count__gt=0).exists()


def test_receipts_fall_on_working_days_in_office_hours(generated):
    for received in Dossier.objects.filter(received_at__isnull=False).values_list("received_at", flat=True):
        when = local(received)
        assert calendar.is_working_day(when.date())
        assert 7 <= when.hour < 17
        assert when < END


def test_due_dates_come_from_the_deadline_rules(generated):
    rows = (
        Dossier.objects.filter(supplement_count=0, apology_count=0, received_at__isnull=False)
        .exclude(status=Status.REFUSED)
        .select_related("procedure")[:300]
    )
    for d in rows:
        expected = deadlines.appointment_for(
            d.received_at, d.procedure.processing_days, d.procedure.time_unit
        )
        assert d.due_at == d.legal_due_at == d.original_due_at == expected


def test_status_fields_are_consistent(generated):
    assert not Dossier.objects.filter(status=Status.RETURNED, returned_at__isnull=True).exists()
    assert not Dossier.objects.filter(status__in=FINAL, finished_at__isnull=True).exists()
    assert not Dossier.objects.filter(status__in=OPEN, finished_at__isnull=False).exists()
    assert not Dossier.objects.filter(
        status=Status.SUPPLEMENT_REQUESTED, supplement_due_at__isnull=True
    ).exists()
    open_with_step = Dossier.objects.filter(status=Status.PROCESSING, current_step__isnull=False)
    assert open_with_step.count() == Dossier.objects.filter(status=Status.PROCESSING).count()
    assert not Dossier.objects.filter(overdue_at__isnull=False).exclude(status__in=OPEN).exists()


def test_deterministic_for_a_seed(generated):
    def fingerprint(ids):
        return [
            tuple(r)
            for r in Dossier.objects.filter(id__in=ids)
            .order_by("id")
            .values_list("received_at", "procedure_id", "status", "due_at", "channel", "applicant_name")
        ]

    first_ids = list(Dossier.objects.order_by("id").values_list("id", flat=True))
    generate(Options(count=COUNT, agencies=3, seed=11, end=END, days=120, batch=700))
    second_ids = list(Dossier.objects.exclude(id__in=first_ids).order_by("id").values_list("id", flat=True))
    assert fingerprint(first_ids) == fingerprint(second_ids)
    assert Dossier.objects.values("code").distinct().count() == 2 * COUNT  # sequences continued


def test_received_dossiers_have_a_legal_due_date_and_unreceived_ones_none(generated):
    received = Dossier.objects.filter(received_at__isnull=False).exclude(status=Status.REFUSED)
    assert received.exists()
    assert not received.filter(legal_due_at__isnull=True).exists()
    assert not received.filter(original_due_at__isnull=True).exists()
    # pauses and apologies only move the appointment later
    assert not received.exclude(due_at__gte=F("original_due_at")).exists()
    assert not Dossier.objects.filter(status=Status.SUBMITTED, received_at__isnull=False).exists()
    assert not Dossier.objects.filter(status=Status.REFUSED, legal_due_at__isnull=False).exists()


def test_finished_dossiers_carry_their_finish_and_it_follows_receipt(generated):
    finished = Dossier.objects.filter(status__in=FINAL + (Status.RESOLVED,))
    assert not finished.filter(finished_at__isnull=True).exists()
    assert not finished.filter(finished_at__lt=F("received_at")).exists()
    assert not Dossier.objects.filter(returned_at__lt=F("finished_at")).exists()


def test_steps_are_numbered_and_the_current_step_belongs_to_its_dossier(generated):
    orders = {}
    for dossier_id, order in DossierStep.objects.values_list("dossier_id", "order"):
        orders.setdefault(dossier_id, []).append(order)
    assert all(sorted(o) == list(range(1, len(o) + 1)) for o in orders.values())
    with_step = Dossier.objects.filter(current_step__isnull=False)
    assert with_step.exists()
    assert not with_step.exclude(current_step__dossier_id=F("id")).exists()


def test_events_happen_before_the_end_and_stay_append_only(generated):
    assert not DossierEvent.objects.filter(at__gt=END).exists()
    assert not Dossier.objects.filter(created_at__gt=END).exists()
    event = DossierEvent.objects.order_by("id").first()
    with pytest.raises(DatabaseError), transaction.atomic():  # the load left the triggers on
        DossierEvent.objects.filter(pk=event.pk).update(note="sửa")


def test_rows_satisfy_foreign_keys_with_every_trigger_on(ward, birth_registration):
    calendar.reset()
    result = generate(Options(count=300, agencies=2, seed=5, end=END, days=30, skip_triggers=False))
    assert result.dossiers == 300
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks every deferred foreign key of the load


def test_queries_per_batch_do_not_grow_with_the_batch(ward, birth_registration):
    calendar.reset()
    generate(Options(count=10, agencies=2, seed=3, end=END, days=5))  # agencies and catalogue exist
    counts = []
    for count in (200, 2000):
        with CaptureQueriesContext(connection) as queries:
            generate(Options(count=count, agencies=2, seed=3, end=END, days=5, batch=10**6))
        counts.append(len(queries))
    assert counts[0] == counts[1] < 25  # plan reads, one id reservation, COPYs and one sequence upsert


def test_the_command_reports_rows_per_second_and_refuses_bad_options(ward, birth_registration):
    calendar.reset()
    out = StringIO()
    call_command(
        "generate_dossiers", "--count", "40", "--days", "10", "--end", "2026-06-30 16:00", stdout=out
    )
    assert Dossier.objects.count() == 40
    assert re.search(r"Xong: 40 hồ sơ, .* trong [\d.]+ s: [\d,]+ dòng/s, [\d,]+ hồ sơ/s\.", out.getvalue())
    with pytest.raises(CommandError):
        call_command("generate_dossiers", "--count", "0")
