"""Fees paid online: the applicant starts a payment, the platform's verified confirmation pays the dossier.

Only `accept` moves a transaction to paid, and only with a confirmation whose MaXacThuc verified (the
platform's notice, or its answer to the re-check's status query); the payer coming back from the platform's
page changes nothing. Every confirmation received is kept as a PaymentNotice with what was done with it.
Locks are always taken dossier first, then the transaction, so a notice, a re-check and the applicant's
click never wait on each other in a circle.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict, DomainError, NotFound
from dossiers.lifecycle.actions import confirm_online_payment, lock
from dossiers.models import Dossier, PaymentNotice, PaymentTransaction, Status
from dossiers.national import payment as platform
from dossiers.national.links import LinkError

logger = logging.getLogger(__name__)
State = PaymentTransaction.State
Outcome = PaymentNotice.Outcome
OPEN = (State.INITIATED, State.PENDING)
RECHECK_BATCH = 100


class PaymentUnavailable(DomainError):
    """The platform did not answer: nothing is lost, the applicant tries again later."""

    status_code = 503
    code = "payment_unavailable"


def _not_yours() -> NotFound:
    return NotFound("Không tìm thấy hồ sơ của bạn.", "No dossier of yours was found.", code="not_found")


def payable_dossier(code: str, user: User) -> Dossier:
    """The dossier, when `user` is its applicant (anyone else is told it does not exist)."""
    d = Dossier.objects.filter(code=code).select_related("procedure").first()
    if d is None or not user.is_authenticated or d.applicant_user_id != user.pk:
        raise _not_yours()
    return d


def transaction_of(code: str, user: User) -> PaymentTransaction:
    """The applicant's own transaction (anyone else is told it does not exist)."""
    txn = PaymentTransaction.objects.filter(code=code).select_related("dossier").first()
    if txn is None or not user.is_authenticated or txn.dossier.applicant_user_id != user.pk:
        raise NotFound("Không tìm thấy giao dịch.", "Payment not found.", code="not_found")
    return txn


def _new_code(d: Dossier) -> str:
    return f"TT{d.pk}-{secrets.token_hex(6).upper()}"


def start_payment(code: str, user: User) -> PaymentTransaction:
    """The applicant pays the fee of a dossier awaiting payment: the open transaction of that amount (or a new
    one) with the platform's payment URL. The platform not answering raises PaymentUnavailable and keeps the
    transaction to retry; asking again gives the same payment page."""
    payable_dossier(code, user)
    with transaction.atomic():
        d = lock(code)
        if d.status != Status.AWAITING_PAYMENT or d.fee_amount <= 0:
            raise Conflict(
                "Hồ sơ không ở trạng thái chờ nộp phí, lệ phí.",
                "The dossier is not awaiting a fee payment.",
                code="not_awaiting_payment",
                status=d.status,
            )
        txn = (
            PaymentTransaction.objects.select_for_update()
            .filter(dossier=d, state__in=OPEN, amount=d.fee_amount)
            .order_by("-id")
            .first()
        )
        if txn is None:
            txn = PaymentTransaction.objects.create(
                dossier=d, payer=user, code=_new_code(d), amount=d.fee_amount
            )
    if txn.state == State.PENDING and txn.payment_url:
        return txn
    txn.dossier = d
    description = f"Nộp phí, lệ phí hồ sơ {d.code}: {d.procedure.name}"
    try:  # outside the transaction: the link's health is recorded whatever happens here
        started = platform.start(txn, description)
    except LinkError as exc:
        logger.warning("payment: init of %s failed: %s", txn.code, exc)
        raise PaymentUnavailable(
            "Nền tảng thanh toán đang tạm gián đoạn. Hồ sơ của bạn không bị ảnh hưởng; "
            "vui lòng thử lại sau ít phút.",
            "The payment platform is not answering just now. Your dossier is unaffected; please try again "
            "in a few minutes.",
        ) from exc
    except platform.PlatformRefused as exc:
        logger.error("payment: the platform refused the init of %s: %s", txn.code, exc)
        PaymentTransaction.objects.filter(pk=txn.pk, state=State.INITIATED).update(state=State.FAILED)
        raise Conflict(
            "Nền tảng thanh toán từ chối yêu cầu thanh toán. Vui lòng liên hệ bộ phận một cửa.",
            "The payment platform refused the payment request. Please contact the one-stop desk.",
            code="payment_refused",
        ) from exc
    PaymentTransaction.objects.filter(pk=txn.pk, state=State.INITIATED).update(
        state=State.PENDING, platform_ref=started.reference, payment_url=started.payment_url
    )
    txn.refresh_from_db()
    return txn


@dataclass(frozen=True)
class Accepted:
    notice: PaymentNotice

    @property
    def refused(self) -> bool:
        return self.notice.outcome == Outcome.REFUSED


def _note(txn, source, outcome, reason, body, remote_addr) -> Accepted:
    notice = PaymentNotice.objects.create(
        transaction=txn,
        source=source,
        outcome=outcome,
        reason=reason,
        body=body if isinstance(body, dict) else {"raw": str(body)[:2000]},
        remote_addr=remote_addr,
    )
    if outcome == Outcome.REFUSED:
        logger.warning(
            "payment: confirmation refused (%s) for %s from %s", reason, txn.code if txn else "?", remote_addr
        )
    return Accepted(notice)


def accept(body, *, source: str = PaymentNotice.Source.NOTICE, remote_addr: str | None = None) -> Accepted:
    """One confirmation from the platform. Refused (and kept): a body that does not verify, an unknown
    transaction, another amount or platform reference, a notice too old (a replay). Acknowledged without
    effect: a second confirmation of a paid transaction. A verified "paid" pays the dossier once."""
    try:
        c = platform.verified(body)
    except platform.Unverified as exc:
        return _note(None, source, Outcome.REFUSED, exc.reason, body, remote_addr)
    found = PaymentTransaction.objects.filter(code=c.code).values_list("pk", "dossier_id").first()
    if found is None:
        return _note(None, source, Outcome.REFUSED, "unknown", body, remote_addr)
    now = timezone.now()
    with transaction.atomic():
        lock(found[1])
        txn = PaymentTransaction.objects.select_for_update().get(pk=found[0])
        if c.amount != txn.amount:
            return _note(txn, source, Outcome.REFUSED, "amount", body, remote_addr)
        if txn.platform_ref and c.reference != txn.platform_ref:
            return _note(txn, source, Outcome.REFUSED, "reference", body, remote_addr)
        if txn.state == State.PAID:
            return _note(txn, source, Outcome.DUPLICATE, "", body, remote_addr)
        max_age = timedelta(seconds=settings.PAYMENT_NOTICE_MAX_AGE)
        if source == PaymentNotice.Source.NOTICE and abs(now - c.sent_at) > max_age:
            return _note(txn, source, Outcome.REFUSED, "replay", body, remote_addr)
        if c.state != State.PAID:
            if c.state != State.PENDING:
                txn.state = c.state
                txn.save(update_fields=["state", "updated_at"])
            return _note(txn, source, Outcome.UPDATED, c.state, body, remote_addr)
        txn.state, txn.paid_at, txn.confirmation = State.PAID, c.paid_at or now, c.body
        txn.platform_ref = c.reference
        txn.save(update_fields=["state", "paid_at", "confirmation", "platform_ref", "updated_at"])
        paid = confirm_online_payment(txn.dossier_id, transaction_code=txn.code, amount=txn.amount)
        # Paid, but the dossier had moved on (paid at the counter, withdrawn): kept for reconciliation.
        reason = "" if paid is not None else "dossier_not_awaiting"
        return _note(txn, source, Outcome.CONFIRMED, reason, body, remote_addr)


def recheck_pending(limit: int = RECHECK_BATCH) -> dict:
    """Ask the platform about open transactions old enough for their notice to have come: one whose notice
    was lost is confirmed (or closed) from the verified answer. Oldest check first; a platform that is down
    ends the round (the next one tries again)."""
    now = timezone.now()
    older = now - timedelta(seconds=settings.PAYMENT_RECHECK_AFTER)
    rows = list(
        PaymentTransaction.objects.filter(state__in=OPEN, created_at__lte=older)
        .exclude(platform_ref="")
        .order_by(F("last_checked_at").asc(nulls_first=True), "id")[:limit]
    )
    counts = {"checked": 0, "confirmed": 0, "errors": 0}
    for txn in rows:
        PaymentTransaction.objects.filter(pk=txn.pk).update(last_checked_at=now)
        try:
            answer = platform.query(txn)
        except LinkError as exc:
            logger.warning("payment: re-check stopped at %s: %s", txn.code, exc)
            counts["errors"] += 1
            break
        except platform.PlatformRefused as exc:
            logger.warning("payment: the platform does not know %s: %s", txn.code, exc)
            counts["errors"] += 1
            continue
        counts["checked"] += 1
        result = accept(answer, source=PaymentNotice.Source.QUERY)
        if result.notice.outcome == Outcome.CONFIRMED:
            counts["confirmed"] += 1
    return counts
