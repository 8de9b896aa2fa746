"""The due-date preview for people: the duedate command and GET /api/v1/calendar/due-date."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from procedures.models import CalendarOverride, Procedure
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]
URL = "/api/v1/calendar/due-date"


def run(*args) -> list[str]:
    out = StringIO()
    call_command("duedate", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (["--received", "2026-02-13 10:00", "--days", "5"], "2026-02-27"),  # after Tết (off 14-22/2)
        (["--received", "2026-02-13 10:00", "--days", "0"], "2026-02-13"),  # same day before 15:00
        (["--received", "2026-02-13 15:30", "--days", "0"], "2026-02-23"),  # after the cut-off
        (["--received", "2026-02-13T10:00", "--days", "15", "--unit", "calendar_days"], "2026-03-02"),
        (["--received", "2025-04-25 10:00", "--days", "1"], "2025-04-26"),  # make-up Saturday
    ],
)
def test_command_prints_the_due_date_first(args, first_line):
    assert run(*args)[0] == first_line


def test_command_explains_the_skipped_days():
    lines = run("--received", "2026-02-13 10:00", "--days", "5")
    text = "\n".join(lines)
    assert "Bỏ qua 9 ngày nghỉ" in text
    assert "2026-02-17  Tết Nguyên Đán (Lunar New Year)" in text
    assert "2026-02-14  Thứ Bảy (Saturday)" in text


def test_command_reads_the_procedure_time():
    factories.procedure(code="1.001193", days=3)
    lines = run("--received", "2026-02-13 10:00", "--procedure", "1.001193")
    assert lines[0] == "2026-02-25"
    assert "1.001193" in lines[1]


@pytest.mark.parametrize(
    "args",
    [
        ["--received", "13/02/2026", "--days", "5"],
        ["--received", "2026-02-13 10:00", "--days", "-1"],
        ["--received", "2026-02-13 10:00", "--days", "100000"],
        ["--received", "2026-02-13 10:00", "--days", "năm"],
        ["--received", "2026-02-13 10:00", "--procedure", "0.000000"],
    ],
)
def test_command_refuses_bad_input_in_both_languages(args):
    with pytest.raises(CommandError) as err:
        run(*args)
    assert " / " in str(err.value)


def test_api_returns_due_and_skipped_days(client):
    response = client.get(URL, {"start": "2026-02-13T10:00", "days": "5"})
    assert response.status_code == 200
    body = response.json()
    assert body["due"] == "2026-02-27"
    assert body["due_at"] == "2026-02-27T17:00:00+07:00"
    assert body["counts_from"] == "2026-02-13"
    assert [d["date"] for d in body["skipped"]][:3] == ["2026-02-14", "2026-02-15", "2026-02-16"]
    assert body["skipped"][2] == {
        "date": "2026-02-16",
        "working": False,
        "reason": "Giao thừa Tết Nguyên Đán",
        "reason_en": "Lunar New Year's Eve",
    }
    assert body["procedure"] is None


@pytest.mark.parametrize(
    ("unit", "time", "due"),
    [
        (Procedure.TimeUnit.SAME_DAY, "14:00", "2026-02-13"),
        (Procedure.TimeUnit.SAME_DAY, "15:00", "2026-02-23"),
        (Procedure.TimeUnit.CALENDAR_DAYS, "10:00", "2026-03-02"),
    ],
)
def test_api_by_procedure(client, unit, time, due):
    factories.procedure(code="2.000001", days=15, unit=unit)
    response = client.get(URL, {"start": f"2026-02-13T{time}", "procedure": "2.000001"})
    assert response.status_code == 200
    assert response.json()["due"] == due
    assert response.json()["procedure"]["code"] == "2.000001"


def test_api_sees_local_overrides(client):
    CalendarOverride.objects.create(date="2026-02-27", is_working=False, reason="Nghỉ đột xuất")
    body = client.get(URL, {"start": "2026-02-13T10:00", "days": "5"}).json()
    assert body["due"] == "2026-03-02"
    skipped = {d["date"]: d["reason"] for d in body["skipped"]}
    assert skipped["2026-02-27"] == "Nghỉ (điều chỉnh): Nghỉ đột xuất"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"start": "không phải ngày", "days": "5"}, "invalid_start"),
        ({"start": "2026-02-30T10:00", "days": "5"}, "invalid_start"),
        ({"start": "1850-01-01T10:00", "days": "5"}, "invalid_start"),
        ({"days": "5"}, "start_required"),
        ({"start": "2026-02-13T10:00", "days": "-1"}, "invalid_days"),
        ({"start": "2026-02-13T10:00", "days": "99999999999999999999"}, "invalid_days"),
        ({"start": "2026-02-13T10:00", "days": "1.5"}, "invalid_days"),
        ({"start": "2026-02-13T10:00"}, "days_or_procedure"),
        ({"start": "2026-02-13T10:00", "days": "1", "procedure": "1.001193"}, "days_or_procedure"),
        ({"start": "2026-02-13T10:00", "procedure": "không có"}, "unknown_procedure"),
        ({"start": "2026-02-13T10:00", "days": "1", "unit": "weeks"}, "invalid_unit"),
    ],
)
def test_api_refuses_bad_input_with_400(client, params, code):
    response = client.get(URL, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"] and error["message_en"] and error["message"] != error["message_en"]


def test_api_is_public_and_documented(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/calendar/due-date"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"start", "days", "procedure", "unit"}
    assert "200" in operation["responses"] and "400" in operation["responses"]
    assert operation.get("security") in (None, [], [{}])


def test_api_query_count_is_constant(client, django_assert_max_num_queries):
    client.get(URL, {"start": "2026-02-13T10:00", "days": "5"})  # builds the calendar table
    with django_assert_max_num_queries(0):
        client.get(URL, {"start": "2026-02-13T10:00", "days": "60"})


WD = "working_days"


# Fri 13/2/2026 is the last working day before Tết (off 14-22/2).
@pytest.mark.parametrize(
    ("scope", "start", "days", "unit", "due", "rule", "applies", "applied"),
    [
        ("same_day", "2026-02-13T15:30", "0", "same_day", "2026-02-23", "after_cutoff", True, True),
        ("same_day", "2026-02-13T15:30", "5", WD, "2026-02-27", "cutoff_not_applied", False, False),
        ("same_day", "2026-02-13T10:00", "5", WD, "2026-02-27", "receipt_day", False, False),
        ("same_day", "2026-02-14T10:00", "1", WD, "2026-02-24", "non_working_day", False, False),
        ("all", "2026-02-13T15:30", "5", WD, "2026-03-02", "after_cutoff", True, True),
        ("all", "2026-02-13T14:00", "5", WD, "2026-02-27", "receipt_day", True, False),
    ],
)
def test_api_says_which_rule_it_used(client, settings, scope, start, days, unit, due, rule, applies, applied):
    settings.OFFICE_CUTOFF_SCOPE = scope
    body = client.get(URL, {"start": start, "days": days, "unit": unit}).json()
    assert (body["due"], body["rule"], body["cutoff_applies"], body["cutoff_applied"]) == (
        due,
        rule,
        applies,
        applied,
    )
    assert body["cutoff_scope"] == scope and body["cutoff"] == "15:00"
    assert body["rule_text"] and body["rule_text_en"] and body["rule_text"] != body["rule_text_en"]


@pytest.mark.parametrize(
    ("scope", "args", "sentence"),
    [
        (
            "same_day",
            ["--received", "2026-02-13 15:30", "--days", "0"],
            "Tiếp nhận sau 15:00: tính từ ngày làm việc tiếp theo. "
            "(Received after 15:00: counted from the next working day.)",
        ),
        (
            "same_day",
            ["--received", "2026-02-13 15:30", "--days", "5"],
            "Tiếp nhận sau 15:00 nhưng giờ chốt chỉ áp dụng cho thủ tục giải quyết trong ngày: tính từ ngày "
            "tiếp nhận. (Received after 15:00, but the cut-off applies to same-day procedures only: counted "
            "from the day of receipt.)",
        ),
        (
            "all",
            ["--received", "2026-02-13 15:30", "--days", "5"],
            "Tiếp nhận sau 15:00: tính từ ngày làm việc tiếp theo. "
            "(Received after 15:00: counted from the next working day.)",
        ),
    ],
)
def test_command_says_which_rule_it_used(settings, scope, args, sentence):
    settings.OFFICE_CUTOFF_SCOPE = scope
    assert sentence in run(*args)
