"""Simulator of Zalo ZNS (Zalo Notification Service), port 8703.

It holds the templates "approved at Zalo" (the product's defaults; tests and operators add more with
POST /_sim/templates {"templates": {id: text}}), fills one with the template_data it receives and refuses,
with 400, an unknown template, missing or unknown parameters, a parameter over its limit, a text over 400
characters, a malformed phone or tracking id. A phone listed in POST /_sim/no-zalo {"phones": [...]} has no
Zalo account: the answer is 200 with error -118, as Zalo's.
"""

from __future__ import annotations

import string

from seeds.simulators.base import Fields, Invalid, Request, Simulator

TOKEN = "zalo-dev-token"
MAX_CHARS = 400
PARAM_MAX = 100
NO_ACCOUNT = -118
TEMPLATES = {
    "ZNS_TIEPNHAN": "{agency} đã tiếp nhận hồ sơ {code} của {name} ({procedure}). Ngày hẹn trả: {due}. "
    "Tra cứu: {url}",
    "ZNS_BOSUNG": "Hồ sơ {code} của {name} cần bổ sung giấy tờ. Vui lòng xem chi tiết và bổ sung tại: {url}",
    "ZNS_HENLAI": "{agency} xin lỗi vì hồ sơ {code} chậm giải quyết. Ngày hẹn trả mới: {due}. Tra cứu: {url}",
    "ZNS_KETQUA": "Hồ sơ {code} của {name} đã có kết quả. Mời Ông/Bà nhận kết quả hoặc xem tại: {url}",
    "ZNS_QUAHAN": "Hồ sơ {code} đã quá hạn bổ sung và dừng giải quyết. Tra cứu: {url}",
}  # fmt: skip


def params_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class ZaloSimulator(Simulator):
    name = "zalo"
    default_port = 8703

    def __init__(self) -> None:
        super().__init__()
        self.templates = dict(TEMPLATES)
        self.no_zalo: set[str] = set()
        self.sent: list[dict] = []
        self.routes.update(
            {
                ("POST", "/message/template"): self.send,
                ("POST", "/_sim/templates"): self.add_templates,
                ("POST", "/_sim/no-zalo"): self.add_no_zalo,
            }
        )

    def reset(self) -> None:
        super().reset()
        with self.lock:
            self.templates = dict(TEMPLATES)
            self.no_zalo.clear()
            self.sent.clear()

    def send(self, request: Request):
        if request.headers.get("access_token") != TOKEN:
            raise Invalid(["access_token: missing or wrong"])
        f = Fields(request.body)
        f.unknown({"phone", "template_id", "template_data", "tracking_id"})
        phone = f.text("phone", pattern=r"84\d{9}")
        template_id = f.text("template_id", max_len=32)
        f.text("tracking_id", max_len=48, pattern=r"[A-Za-z0-9:_\-]+")
        data = request.body.get("template_data") if isinstance(request.body, dict) else None
        template = self.templates.get(template_id or "")
        if template_id and template is None:
            f._fault("template_id", "not an approved template")
        if not isinstance(data, dict):
            f._fault("template_data", "must be an object")
        elif template is not None:
            wanted = params_of(template)
            for name in sorted(wanted - set(data)):
                f._fault(f"template_data.{name}", "required")
            for name in sorted(set(data) - wanted):
                f._fault(f"template_data.{name}", "unknown parameter")
            for name, value in data.items():
                if not isinstance(value, str) or not value:
                    f._fault(f"template_data.{name}", "must be a non-empty string")
                elif len(value) > PARAM_MAX:
                    f._fault(f"template_data.{name}", f"longer than {PARAM_MAX}")
        f.done()
        text = template.format(**data)
        if len(text) > MAX_CHARS:
            raise Invalid([f"message: {len(text)} characters, over {MAX_CHARS}"])
        if phone in self.no_zalo:
            return 200, {"error": NO_ACCOUNT, "message": "Zalo account not existed"}
        with self.lock:
            self.sent.append({"phone": phone, "text": text, "tracking_id": request.body["tracking_id"]})
            msg_id = f"zns-{len(self.sent)}"
        return 200, {"error": 0, "message": "Success", "data": {"msg_id": msg_id}}

    def add_templates(self, request: Request):
        templates = (request.body or {}).get("templates") or {}
        with self.lock:
            self.templates.update(templates)
        return 200, {"templates": sorted(self.templates)}

    def add_no_zalo(self, request: Request):
        with self.lock:
            self.no_zalo.update((request.body or {}).get("phones") or [])
        return 200, {"ok": True}


SIMULATOR = ZaloSimulator
