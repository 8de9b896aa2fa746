"""Real PDFs built in the tests with pypdf: a clean one-page scan and ones carrying active content."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject


def _bytes(writer: PdfWriter) -> bytes:
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)  # A5
    return writer


def blank_pdf() -> bytes:
    """A clean one-page PDF, as a scanner makes it (without the image)."""
    return _bytes(pdf_writer())


def _name(value: str) -> NameObject:
    return NameObject(value)


def _js_action(script: str = "app.alert('x')") -> DictionaryObject:
    return DictionaryObject({_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject(script)})


def with_document_javascript() -> bytes:
    """Document-level JavaScript (run when the file opens), as pypdf's add_open_action writes it."""
    from pypdf.actions import JavaScript

    writer = pdf_writer()
    writer.add_open_action(JavaScript("app.alert('xin chào');"))
    return _bytes(writer)


def with_open_action_javascript() -> bytes:
    writer = pdf_writer()
    writer._root_object[_name("/OpenAction")] = writer._add_object(_js_action())
    return _bytes(writer)


def with_open_action_destination() -> bytes:
    """A benign /OpenAction: open at the first page, fitted (no script)."""
    writer = pdf_writer()
    page = writer.pages[0].indirect_reference
    writer._root_object[_name("/OpenAction")] = ArrayObject([page, _name("/Fit")])
    return _bytes(writer)


def with_page_additional_action() -> bytes:
    writer = pdf_writer()
    writer.pages[0][_name("/AA")] = DictionaryObject({_name("/O"): _js_action()})
    return _bytes(writer)


def with_launch_action() -> bytes:
    writer = pdf_writer()
    launch = DictionaryObject({_name("/S"): _name("/Launch"), _name("/F"): TextStringObject("cmd.exe")})
    writer._root_object[_name("/OpenAction")] = writer._add_object(launch)
    return _bytes(writer)


def with_embedded_file() -> bytes:
    writer = pdf_writer()
    writer.add_attachment("hoa-don.exe", b"MZ\x90\x00")
    return _bytes(writer)


def with_rich_media() -> bytes:
    writer = pdf_writer()
    annotation = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/RichMedia"),
            _name("/Rect"): ArrayObject([NumberObject(n) for n in (0, 0, 10, 10)]),
        }
    )
    writer.pages[0][_name("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _bytes(writer)


def with_xfa() -> bytes:
    writer = pdf_writer()
    form = DictionaryObject({_name("/Fields"): ArrayObject(), _name("/XFA"): TextStringObject("<xdp/>")})
    writer._root_object[_name("/AcroForm")] = writer._add_object(form)
    return _bytes(writer)


def encrypted(user_password: str, *, javascript: bool = False) -> bytes:
    writer = pdf_writer()
    if javascript:
        writer.pages[0][_name("/AA")] = DictionaryObject({_name("/O"): _js_action()})
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu", algorithm="AES-128")
    return _bytes(writer)
