"""Phone numbers as Zalo and SMS gateways take them: 84 and the nine digits after the leading 0."""

from __future__ import annotations


def international(phone: str) -> str:
    digits = "".join(c for c in str(phone) if c.isdigit())
    if digits.startswith("84") and len(digits) == 11:
        return digits
    if digits.startswith("0") and len(digits) == 10:
        return "84" + digits[1:]
    return digits
