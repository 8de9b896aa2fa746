"""Vietnamese text folding for search that ignores diacritics and case."""

import unicodedata


def fold(text: str) -> str:
    """'Đăng ký khai sinh' -> 'dang ky khai sinh'."""
    text = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.lower().split())


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")
