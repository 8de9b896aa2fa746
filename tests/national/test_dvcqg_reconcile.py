"""Reconciliation: what the portal lacks or holds differently is reported, and --resend fixes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from dossiers.lifecycle.services import perform
from dossiers.models import Dossier, OutboxMessage
from dossiers.national import dvcqg_reconcile
from tests.dossiers.lifecycle import intake
from tests.national.conftest import drain_until_settled, refused

pytestmark = pytest.mark.django_db


def test_in_step_there_is_nothing_to_report(portal, clerk, ward, birth_registration):
    intake(clerk, ward, birth_registration)
    drain_until_settled()
    assert dvcqg_reconcile.compare() == []


def test_missing_status_and_due_date_differences_are_reported_and_resent(
    portal, settings, clerk, handler, ward, birth_registration, capsys
):
    settings.DVCQG_PUSH = False  # three dossiers made while the link was off
    lost = intake(clerk, ward, birth_registration)
    settings.DVCQG_PUSH = True
    behind = intake(clerk, ward, birth_registration)
    moved = intake(clerk, ward, birth_registration)
    drain_until_settled()
    perform(behind, "forward", clerk, {"to_user": handler.pk})
    OutboxMessage.objects.filter(dossier=behind, channel="dvcqg").exclude(status="sent").update(status="dead")
    Dossier.objects.filter(pk=moved.pk).update(due_at=moved.due_at + timedelta(days=2))

    call_command("dvcqg_reconcile")
    out = capsys.readouterr().out
    assert f"{lost.code}\tchưa có trên Cổng / missing there" in out
    assert f"{behind.code}\ttrạng thái khác / status differs\t4 (Cổng / portal: 2)" in out
    assert f"{moved.code}\tngày hẹn trả khác / due date differs" in out
    assert "Chênh lệch / differences: 3 (3 hồ sơ / dossiers)" in out

    call_command("dvcqg_reconcile", "--resend")
    drain_until_settled()
    assert dvcqg_reconcile.compare() == []
    history = portal.simulator.dossiers[lost.code]["QuaTrinhXuLyHoSo"]
    assert [h["NoiDungXuLy"] for h in history] == ["Tiếp nhận hồ sơ"]
    assert refused(portal) == []


def test_since_limits_the_dossiers_compared(portal, settings, clerk, ward, birth_registration, capsys):
    settings.DVCQG_PUSH = False
    old = intake(clerk, ward, birth_registration)
    made = old.created_at - timedelta(days=40)
    Dossier.objects.filter(pk=old.pk).update(created_at=made)
    call_command("dvcqg_reconcile", "--since", (made - timedelta(days=1)).date().isoformat())
    assert "differences: 1" in capsys.readouterr().out
    call_command("dvcqg_reconcile", "--since", (made + timedelta(days=2)).date().isoformat())
    assert "differences: 0" in capsys.readouterr().out


def test_a_bad_date_is_a_clear_error(portal):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("dvcqg_reconcile", "--since", "1/12/2026")
