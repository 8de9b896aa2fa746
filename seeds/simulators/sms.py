"""Simulator of an SMS brandname gateway, port 8704: one text of at most 400 characters per request."""

from __future__ import annotations

import unicodedata

from seeds.simulators.base import Fields, Invalid, Request, Simulator

TOKEN = "sms-dev-token"
MAX_CHARS = 400


class SmsSimulator(Simulator):
    name = "sms"
    default_port = 8704

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[dict] = []
        self.routes[("POST", "/api/sms/send")] = self.send

    def reset(self) -> None:
        super().reset()
        with self.lock:
            self.sent.clear()

    def send(self, request: Request):
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            raise Invalid(["Authorization: missing or wrong token"])
        f = Fields(request.body)
        f.unknown({"brandname", "phone", "message", "request_id"})
        f.text("brandname", max_len=11, pattern=r"[A-Za-z0-9.\-_ ]+")
        f.text("phone", pattern=r"84\d{9}")
        text = f.text("message", max_len=MAX_CHARS)
        f.text("request_id", max_len=64)
        if text and any(unicodedata.category(c) == "Cc" for c in text):
            f._fault("message", "control characters")
        f.done()
        with self.lock:
            self.sent.append(dict(request.body))
            n = len(self.sent)
        return 200, {"code": "00", "message": "Accepted", "message_id": f"sms-{n}"}


SIMULATOR = SmsSimulator
