"""The DVCQG Payment Platform, simulated: init, the payer's page, the confirmation notice, the status query.

    POST /api/thanh-toan/khoi-tao   a payment request (every field checked, MaXacThuc verified): its URL
    GET  /thanh-toan/<ref>          the payer's page (HTML): "Thanh toán" or "Huỷ"
    POST /thanh-toan/<ref>          the payer's choice: the notice is POSTed to the merchant's UrlThongBao,
                                    then the payer is sent back to UrlTraVe
    POST /api/thanh-toan/truy-van   the state of a transaction, signed like the notice
    POST /_sim/ipn {"mode": "send" | "drop"}   deliver the notices, or lose them (as a broken network would)
    GET  /_sim/notices                         every notice built so far, delivered or not, with the answer

MaXacThuc is the SHA-256 (hex) of the fields' values in their listed order, joined by "|", then "|" and the
secret shared with the merchant. Written here apart from the product's adapter, so that one cannot hide a
mistake of the other.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import os
import re
import secrets
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlencode

import requests

from seeds.simulators.base import Fields, Invalid, Request, Simulator

INIT_FIELDS = ("MaDoiTac", "MaGiaoDich", "MaHoSo", "SoTien", "NoiDung", "UrlTraVe", "UrlThongBao", "ThoiGian")
QUERY_FIELDS = ("MaDoiTac", "MaGiaoDich", "ThoiGian")
NOTICE_FIELDS = (
    "MaDoiTac",
    "MaGiaoDich",
    "MaThamChieu",
    "SoTien",
    "TrangThai",
    "ThoiGianThanhToan",
    "ThoiGian",
)
PAID, PENDING, CANCELLED, FAILED = "00", "01", "02", "03"
HANOI = timezone(timedelta(hours=7))
URL = r"https?://[^\s]{1,990}"
STAMP = r"\d{14}"
PAGE = re.compile(r"^/thanh-toan/([A-Za-z0-9]{1,40})$")


def sign(body: dict, names: tuple[str, ...], secret: str) -> str:
    text = "|".join(str(body.get(n, "")) for n in names) + "|" + secret
    return hashlib.sha256(text.encode()).hexdigest()


def stamp(at: datetime | None = None) -> str:
    return (at or datetime.now(HANOI)).astimezone(HANOI).strftime("%Y%m%d%H%M%S")


class PaymentSimulator(Simulator):
    name = "payment"
    default_port = 8793

    def __init__(self, merchant: str | None = None, secret: str | None = None) -> None:
        super().__init__()
        self.merchant = merchant or os.environ.get("SIM_PAYMENT_MERCHANT", "MOTCUA-DEV")
        self.secret = secret or os.environ.get("SIM_PAYMENT_SECRET", "motcua-dev-payment-secret")
        self.transactions: dict[str, dict] = {}  # by MaGiaoDich
        self.by_ref: dict[str, str] = {}
        self.notices: list[dict] = []
        self.ipn_mode = "send"
        self.base_url = ""  # set by the server start (see dispatch): where the payer's page is
        self.routes[("POST", "/api/thanh-toan/khoi-tao")] = self.init
        self.routes[("POST", "/api/thanh-toan/truy-van")] = self.query

    def reset(self) -> None:
        super().reset()
        with self.lock:
            self.transactions.clear()
            self.by_ref.clear()
            self.notices.clear()
            self.ipn_mode = "send"

    # --- the merchant's API ---

    def _checked(self, f: Fields, names: tuple[str, ...]) -> None:
        f.unknown({*names, "MaXacThuc"})
        f.text("MaDoiTac", max_len=40)
        f.text("ThoiGian", pattern=STAMP)
        given = f.text("MaXacThuc", pattern=r"[0-9a-f]{64}")
        f.done()
        if f.body["MaDoiTac"] != self.merchant:
            raise Invalid(["MaDoiTac: unknown merchant"])
        if not hmac.compare_digest(given, sign(f.body, names, self.secret)):
            raise Invalid(["MaXacThuc: checksum does not match"])

    def init(self, request: Request) -> tuple[int, dict]:
        f = Fields(request.body)
        code = f.text("MaGiaoDich", pattern=r"[A-Za-z0-9-]{1,40}")
        f.text("MaHoSo", max_len=50)
        f.number("SoTien", minimum=1)
        f.text("NoiDung", max_len=255)
        f.text("UrlTraVe", pattern=URL)
        f.text("UrlThongBao", pattern=URL)
        self._checked(f, INIT_FIELDS)
        body = request.body
        with self.lock:
            known = self.transactions.get(code)
            if known is not None:  # the merchant retried after losing our answer: the same transaction
                if known["SoTien"] != body["SoTien"] or known["MaHoSo"] != body["MaHoSo"]:
                    return 409, {"error_code": "02", "message": "MaGiaoDich already used for another payment"}
            else:
                ref = secrets.token_hex(8).upper()
                known = {**body, "MaThamChieu": ref, "TrangThai": PENDING, "ThoiGianThanhToan": ""}
                self.transactions[code] = known
                self.by_ref[ref] = code
        host = request.headers.get("host", "127.0.0.1")
        return 200, {
            "error_code": "00",
            "MaGiaoDich": code,
            "MaThamChieu": known["MaThamChieu"],
            "UrlThanhToan": f"http://{host}/thanh-toan/{known['MaThamChieu']}",
        }

    def query(self, request: Request) -> tuple[int, dict]:
        f = Fields(request.body)
        code = f.text("MaGiaoDich", pattern=r"[A-Za-z0-9-]{1,40}")
        self._checked(f, QUERY_FIELDS)
        with self.lock:
            known = self.transactions.get(code)
        if known is None:
            return 404, {"error_code": "01", "message": "unknown MaGiaoDich"}
        return 200, {"error_code": "00", **self._notice(known)}

    def _notice(self, t: dict) -> dict:
        body = {
            "MaDoiTac": self.merchant,
            "MaGiaoDich": t["MaGiaoDich"],
            "MaThamChieu": t["MaThamChieu"],
            "SoTien": t["SoTien"],
            "TrangThai": t["TrangThai"],
            "ThoiGianThanhToan": t["ThoiGianThanhToan"],
            "ThoiGian": stamp(),
        }
        return {**body, "MaXacThuc": sign(body, NOTICE_FIELDS, self.secret)}

    # --- the payer's page and the notice ---

    def dispatch(self, request: Request):
        if request.path == "/_sim/ipn" and request.method == "POST":
            mode = (request.body or {}).get("mode")
            if mode not in ("send", "drop"):
                return 400, {"error": "invalid", "faults": ["mode: not one of ('send', 'drop')"]}, None
            self.ipn_mode = mode
            return 200, {"mode": mode}, None
        if request.path == "/_sim/notices":
            with self.lock:
                return 200, {"notices": list(self.notices)}, None
        page = PAGE.match(request.path)
        if page and request.method in ("GET", "POST"):
            return self._page(request, page.group(1))
        return super().dispatch(request)

    def _page(self, request: Request, ref: str):
        with self.lock:
            t = self.transactions.get(self.by_ref.get(ref, ""))
        if t is None:
            return 404, None, _html("Không tìm thấy giao dịch", "<p>Giao dịch không tồn tại.</p>")
        if request.method == "GET":
            return 200, None, _payment_page(t)
        choice = parse_qs(request.raw.decode(errors="replace")).get("chon", [""])[-1]
        if choice not in ("thanh_toan", "huy"):
            return 400, None, _html("Yêu cầu không hợp lệ", "<p>chon: thanh_toan | huy</p>")
        with self.lock:
            if t["TrangThai"] == PENDING:
                t["TrangThai"] = PAID if choice == "thanh_toan" else CANCELLED
                t["ThoiGianThanhToan"] = stamp() if choice == "thanh_toan" else ""
            notice = self._notice(t)
        self._deliver(t["UrlThongBao"], notice)
        back = t["UrlTraVe"] + ("&" if "?" in t["UrlTraVe"] else "?")
        back += urlencode({"MaGiaoDich": t["MaGiaoDich"], "TrangThai": t["TrangThai"]})
        with self.lock:
            self.received.append(
                {"method": "POST", "path": request.path, "body": {"chon": choice}, "status": 200}
            )
        return 200, None, _result_page(t, back)

    def _deliver(self, url: str, notice: dict) -> None:
        record = {"url": url, "body": notice, "delivered": False, "status": None, "answer": None}
        if self.ipn_mode == "send":
            try:
                answer = requests.post(url, json=notice, timeout=10)
                record.update(delivered=True, status=answer.status_code, answer=answer.text[:500])
            except requests.RequestException as exc:
                record["answer"] = f"{type(exc).__name__}: {exc}"
        with self.lock:
            self.notices.append(record)


def _html(title: str, body: str, head: str = "") -> bytes:
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>{head}</head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    ).encode()


def _payment_page(t: dict) -> bytes:
    amount = f"{t['SoTien']:,}".replace(",", ".")
    if t["TrangThai"] != PENDING:
        return _html("Giao dịch đã kết thúc", f"<p>Trạng thái: {t['TrangThai']}</p>")
    body = (
        f"<p>Hồ sơ: <b>{html.escape(t['MaHoSo'])}</b></p><p>{html.escape(t['NoiDung'])}</p>"
        f'<p>Số tiền: <b id="so-tien">{amount} đ</b></p>'
        '<form method="post"><button name="chon" value="thanh_toan">Thanh toán</button></form>'
        '<form method="post"><button name="chon" value="huy">Huỷ</button></form>'
    )
    return _html("Nền tảng thanh toán (mô phỏng)", body)


def _result_page(t: dict, back: str) -> bytes:
    done = t["TrangThai"] == PAID
    link = html.escape(back, quote=True)
    return _html(
        "Thanh toán thành công" if done else "Đã huỷ thanh toán",
        f'<p><a id="quay-lai" href="{link}">Quay lại Cổng dịch vụ công</a></p>',
        head=f'<meta http-equiv="refresh" content="1;url={link}">',
    )


SIMULATOR = PaymentSimulator
