"""Webhook delivery: a JSON body signed with HMAC-SHA256 over "<timestamp>.<body>", short timeouts, and an
idempotency key that is the same on every attempt at one message (delivery is at least once)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings

TIMESTAMP_HEADER = "X-Onestop-Timestamp"
SIGNATURE_HEADER = "X-Onestop-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def encode(payload: dict) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>"), the value of X-Onestop-Signature."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify(
    secret: str, timestamp: str, body: bytes, header: str, tolerance: int = 300, now: float | None = None
) -> bool:
    """What a receiver checks: the signature matches and the timestamp is recent (replay protection)."""
    try:
        age = abs((now or time.time()) - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(signature(secret, timestamp, body), header)


class DeliveryFailed(Exception):
    pass


def deliver(
    url: str, secret: str, payload: dict, timeout: float | None = None, *, idempotency_key: str = ""
) -> int:
    """POST the signed payload; returns the HTTP status, raises DeliveryFailed unless it is 2xx."""
    if not url.lower().startswith(("http://", "https://")):
        raise DeliveryFailed(f"unsupported URL scheme: {url[:40]}")
    body = encode(payload)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "onestop-webhook/1",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }
    if idempotency_key:
        headers[IDEMPOTENCY_HEADER] = idempotency_key
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    timeout = timeout or getattr(settings, "WEBHOOK_TIMEOUT", 5.0)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https/http only)
            return response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}") from exc
