"""What a dossier of a procedure owes, from the catalogue's fees and its online discount."""

from __future__ import annotations

from procedures.models import Fee, Procedure


def online_price(amount: int, discount_pct: int) -> int:
    """`amount` less the online discount, rounded to the nearest đồng."""
    pct = min(max(int(discount_pct), 0), 100)
    return (amount * (100 - pct) + 50) // 100


def dossier_fee(procedure: Procedure, *, online: bool) -> int | None:
    """The fee of one dossier: the sum of the procedure's per-dossier fees, less the online discount for a
    dossier filed online. None when a fee is counted per copy or per page (the clerk counts them)."""
    fees = list(procedure.fees.all())
    if any(f.unit != Fee.Unit.DOSSIER for f in fees):
        return None
    total = sum(f.amount for f in fees)
    return online_price(total, procedure.online_fee_discount_pct) if online else total
