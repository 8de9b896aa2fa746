"""Files attached to a dossier: checked uploads of components, and reuse of earlier digitised data.

Who may attach is workflow.may_attach; every function here asks it, whatever the caller (API, desk, commands).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import unicodedata

import filetype
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.text import get_valid_filename
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from accounts.models import User
from config.errors import InvalidInput, NotFound, field_error
from dossiers.lifecycle.events import record_event
from dossiers.lifecycle.workflow import check_may_attach
from dossiers.models import Document, Dossier
from dossiers.selectors import dossiers_visible_to
from procedures.models import DocumentRequirement
from procedures.text import fold

# Accepted types, by content (never by the name or the browser's claim), and the extension we store them with.
ACCEPTED = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
FORMAT_ALIASES = {"jpeg": "jpg"}
HEAD_BYTES = 8192
logger = logging.getLogger(__name__)

# What a PDF viewer may run or open by itself: scripts, actions on open/close/hover (/AA, /OpenAction with a
# script), launching programs, embedded files, Flash/3D (RichMedia) and XFA forms. A scanned component needs
# none of them, so a PDF carrying any is refused. Keys anywhere in the object graph, and the action or object
# types that name them.
ACTIVE_KEYS = frozenset(
    {"/JavaScript", "/JS", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/RichMedia", "/XFA"}
)
ACTIVE_TYPES = frozenset(
    {"/JavaScript", "/Launch", "/RichMedia", "/RichMediaExecute", "/EmbeddedFile", "/SubmitForm"}
    | {"/ImportData"}
)
TYPE_KEYS = ("/S", "/Subtype", "/Type")
MAX_PDF_OBJECTS = 200_000  # a scanned component has hundreds; more is a crafted file
# Control characters and the Unicode direction marks and overrides, which make "gpj.exe" display as "exe.jpg".
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _refuse(vi: str, en: str, code: str) -> InvalidInput:
    return InvalidInput(vi, en, code=code, fields={"file": field_error(vi, en)})


def sniff_content_type(head: bytes) -> str | None:
    """The real type of a file from its first bytes; a PDF must also start with the PDF header."""
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime == "application/pdf" and not head.startswith(b"%PDF-"):
        return None
    return mime if mime in ACCEPTED else None


def clean_file_name(name: str) -> str:
    """The base name of an uploaded file without control characters or direction overrides."""
    base = os.path.basename((name or "").replace("\\", "/"))
    return "".join(c for c in base if c not in BIDI_CONTROLS and unicodedata.category(c) != "Cc").strip()


def _active_content(reader: PdfReader) -> str | None:
    """The first active-content name found in the PDF's object graph (from the trailer), else None."""
    stack, seen = [reader.trailer], set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_PDF_OBJECTS:
                return "/TooManyObjects"
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # streams are dictionaries too (their data is not run)
            for name, value in obj.items():
                if name in ACTIVE_KEYS:
                    return name
                if name in TYPE_KEYS and isinstance(value, NameObject) and value in ACTIVE_TYPES:
                    return str(value)
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def check_pdf(file) -> None:
    """Refuse a PDF that cannot be read (it cannot be checked either) or that carries active content."""
    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refuse(
                "Tệp PDF được đặt mật khẩu; vui lòng gửi bản không có mật khẩu.",
                "The PDF is password-protected; send it without a password.",
                "pdf_encrypted",
            )
        found = _active_content(reader)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as error:
        logger.info("unreadable PDF refused: %s", error)
        raise _refuse(
            "Không đọc được tệp PDF (tệp bị hỏng?); vui lòng quét hoặc lưu lại rồi gửi lại.",
            "The PDF cannot be read (damaged?); scan or save it again and resend it.",
            "pdf_unreadable",
        ) from None
    finally:
        file.seek(0)
    if found:
        logger.warning("PDF with active content refused: %s", found)
        raise _refuse(
            "Tệp PDF chứa nội dung chủ động (mã JavaScript, tệp đính kèm, hành động tự chạy hoặc "
            "biểu mẫu XFA) nên không được nhận; vui lòng in ra PDF hoặc quét lại tài liệu rồi gửi lại.",
            "The PDF carries active content (JavaScript, embedded files, automatic actions or XFA forms) "
            "and is refused; print it to PDF or scan the document again and resend it.",
            "pdf_active_content",
        )


def check_file(file, requirement: DocumentRequirement | None) -> tuple[str, str, int]:
    """Size, type and checksum of an upload: (content type, sha256, size), or a clear refusal."""
    size = file.size
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise _refuse(
            f"Tệp quá lớn ({size / 1048576:.1f} MB); tối đa {limit / 1048576:.0f} MB.",
            f"The file is too large ({size} bytes); the limit is {limit} bytes.",
            "file_too_large",
        )
    if size == 0:
        raise _refuse("Tệp rỗng.", "The file is empty.", "file_empty")
    file.seek(0)
    mime = sniff_content_type(file.read(HEAD_BYTES))
    if mime is None:
        raise _refuse(
            "Chỉ nhận tệp PDF, JPEG hoặc PNG; nội dung tệp này không phải các định dạng đó.",
            "Only PDF, JPEG or PNG content is accepted.",
            "file_type",
        )
    if mime == "application/pdf":
        check_pdf(file)
    if requirement is not None:
        allowed = {
            FORMAT_ALIASES.get(f.strip().lower(), f.strip().lower()) for f in requirement.formats.split(",")
        }
        if ACCEPTED[mime] not in allowed:
            raise _refuse(
                f"Thành phần này chỉ nhận định dạng: {requirement.formats}.",
                f"This component accepts only: {requirement.formats}.",
                "file_type",
            )
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    return mime, digest.hexdigest(), size


def _check_requirement(dossier: Dossier, requirement: DocumentRequirement | None) -> None:
    if requirement is not None and requirement.procedure_id != dossier.procedure_id:
        raise InvalidInput(
            "Thành phần hồ sơ không thuộc thủ tục của hồ sơ này.",
            "The component does not belong to this dossier's procedure.",
            fields={"requirement": field_error("Không hợp lệ.", "Invalid.")},
        )


def _lock_for_attaching(dossier: Dossier, actor: User | None, *, component: bool) -> Dossier:
    """The dossier under a row lock, once its status and the actor's role allow attaching a file."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    check_may_attach(locked, actor, component=component)
    return locked


def _stored_name(requirement: DocumentRequirement | None, original: str, mime: str) -> str:
    base = os.path.splitext(clean_file_name(original))[0]
    stem = get_valid_filename(fold(base).replace(" ", "-"))[:80] or "tai-lieu"
    prefix = f"{requirement.order:02d}-" if requirement else ""
    return f"{prefix}{stem}.{ACCEPTED[mime]}"


def refresh_digitised(dossier: Dossier) -> None:
    """Dossier.is_digitised: every required component has a digitised file (uploaded or reused)."""
    required = set(dossier.procedure.requirements.filter(required=True).values_list("id", flat=True))
    covered = set(
        dossier.documents.filter(kind=Document.Kind.COMPONENT, digitised=True).values_list(
            "requirement_id", flat=True
        )
    )
    value = required <= covered if required else bool(covered)
    if value != dossier.is_digitised:
        dossier.is_digitised = value
        dossier.save(update_fields=["is_digitised", "updated_at"])


def attach_component(
    dossier: Dossier,
    requirement: DocumentRequirement | None,
    file,
    actor: User | None,
    digitised: bool = True,
) -> Document:
    """Store a checked file as a component of the dossier (a working document when `requirement` is None);
    a refused file leaves nothing behind."""
    component = requirement is not None
    check_may_attach(dossier, actor, component=component)  # refuse before reading the file; again under lock
    _check_requirement(dossier, requirement)
    mime, sha256, size = check_file(file, requirement)
    stored = ""
    try:
        with transaction.atomic():
            locked = _lock_for_attaching(dossier, actor, component=component)
            doc = Document(
                dossier=locked,
                kind=Document.Kind.COMPONENT,
                requirement=requirement,
                name=(requirement.name if requirement else clean_file_name(file.name) or "tai-lieu")[:500],
                content_type=mime,
                size=size,
                sha256=sha256,
                digitised=digitised,
                uploaded_by=actor,
            )
            doc.file.save(_stored_name(requirement, file.name, mime), file, save=False)
            stored = doc.file.name
            doc.save()
            record_event(
                locked,
                "document_attached",
                actor=actor,
                public=False,
                payload={
                    "document_id": doc.pk,
                    "requirement_id": getattr(requirement, "pk", None),
                    "name": doc.name,
                    "sha256": sha256,
                    "digitised": digitised,
                },
            )
            refresh_digitised(locked)
    except BaseException:
        # Also catches errors raised at commit (deferred foreign keys): the row is gone, so is the file.
        if stored:
            default_storage.delete(stored)
        raise
    dossier.is_digitised = locked.is_digitised
    return doc


def store_portal_component(
    dossier: Dossier, requirement: DocumentRequirement | None, file, name: str, checked: tuple[str, str, int]
) -> Document:
    """A component that came with a dossier filed on the national portal (already through check_file,
    whose answer is `checked`), stored inside the caller's transaction; the caller deletes the stored file
    if that transaction fails. Electronic from the start, so digitised."""
    mime, sha256, size = checked
    doc = Document(
        dossier=dossier,
        kind=Document.Kind.COMPONENT,
        requirement=requirement,
        name=(requirement.name if requirement else clean_file_name(name) or "tai-lieu")[:500],
        content_type=mime,
        size=size,
        sha256=sha256,
        digitised=True,
    )
    doc.file.save(_stored_name(requirement, name or "tai-lieu.pdf", mime), file, save=False)
    doc.save()
    return doc


def presented_dossier(dossier: Dossier, code: str, pin: str) -> Dossier:
    """Another dossier of the same applicant, shown by the citizen in person with its code and tracking PIN
    (the receipt they hold): its data may be reused even when it was filed elsewhere. A wrong code, PIN or
    applicant gives the same answer as public tracking."""
    same_applicant = Dossier.objects.filter(applicant_id_number=dossier.applicant_id_number)
    source = same_applicant.filter(code=(code or "").strip()[:60]).exclude(pk=dossier.pk).first()
    if source is None or not hmac.compare_digest(source.tracking_pin, (pin or "").strip()[:12]):
        raise NotFound(
            "Không tìm thấy hồ sơ của người nộp với mã và mã tra cứu đã nhập.",
            "No dossier of the applicant matches this code and PIN.",
            code="not_found",
        )
    return source


def reusable_documents(
    dossier: Dossier, user: User | None, *, presented: Dossier | None = None
) -> QuerySet[Document]:
    """The applicant's electronic results and digitised components from their other dossiers, among those
    `user` may already see (a clerk's own agencies, a citizen's own filings), plus the dossier the citizen
    presented with its PIN. Never the applicant's dossiers elsewhere just because the ID number matches."""
    scope = Q(dossier__in=dossiers_visible_to(user)) if user is not None else Q(pk__in=[])
    if presented is not None:
        scope |= Q(dossier_id=presented.pk)
    return (
        Document.objects.filter(
            dossier__applicant_id_number=dossier.applicant_id_number, reused_from__isnull=True
        )
        .filter(scope)
        .exclude(dossier_id=dossier.pk)
        .filter(Q(kind=Document.Kind.RESULT, signed=True) | Q(kind=Document.Kind.COMPONENT, digitised=True))
        .select_related("dossier__procedure", "requirement")
        .order_by("-created_at", "-id")
    )


def reuse_document(
    dossier: Dossier,
    source_document: Document,
    requirement: DocumentRequirement | None,
    actor: User | None,
    *,
    presented: Dossier | None = None,
) -> Document:
    """Attach an earlier digitised file as a component by reference (same stored file, no copy); the
    receiving dossier's history names the source document and dossier, and how the citizen's consent was
    shown when the source lies outside what the actor sees (`presented`)."""
    check_may_attach(dossier, actor, component=True)
    _check_requirement(dossier, requirement)
    origin = source_document.reused_from or source_document
    if not reusable_documents(dossier, actor, presented=presented).filter(pk=origin.pk).exists():
        raise InvalidInput(
            "Tài liệu này không thuộc dữ liệu số của người nộp hồ sơ.",
            "This document is not part of the applicant's digitised data.",
            code="not_reusable",
        )
    with transaction.atomic():
        locked = _lock_for_attaching(dossier, actor, component=True)
        existing = locked.documents.filter(reused_from=origin, requirement=requirement).first()
        if existing is not None:
            return existing
        doc = Document.objects.create(
            dossier=locked,
            kind=Document.Kind.COMPONENT,
            requirement=requirement,
            name=(requirement.name if requirement else origin.name)[:500],
            file=origin.file.name,
            content_type=origin.content_type,
            size=origin.size,
            sha256=origin.sha256,
            digitised=True,
            signed=origin.signed,
            signature=origin.signature,
            reused_from=origin,
            uploaded_by=actor,
        )
        source_dossier = Dossier.objects.only("code").get(pk=origin.dossier_id)
        record_event(
            locked,
            "document_reused",
            actor=actor,
            public=False,
            payload={
                "document_id": doc.pk,
                "source_document_id": origin.pk,
                "source_dossier_id": origin.dossier_id,
                "source_dossier_code": source_dossier.code,
                "name": doc.name,
                "shown_with_tracking_pin": presented is not None and presented.pk == origin.dossier_id,
            },
        )
        if not locked.reuses_data:
            locked.reuses_data = True
            locked.save(update_fields=["reuses_data", "updated_at"])
        refresh_digitised(locked)
    dossier.reuses_data, dossier.is_digitised = True, locked.is_digitised
    return doc


def dossier_documents(dossier: Dossier) -> QuerySet[Document]:
    return dossier.documents.select_related("requirement", "uploaded_by").order_by("kind", "id")


def requirement_for(dossier: Dossier, requirement_id) -> DocumentRequirement | None:
    """The requirement chosen in a request, which must belong to the dossier's procedure."""
    if requirement_id in (None, ""):
        return None
    requirement = DocumentRequirement.objects.filter(
        pk=requirement_id, procedure_id=dossier.procedure_id
    ).first()
    if requirement is None:
        raise InvalidInput(
            "Thành phần hồ sơ không thuộc thủ tục của hồ sơ này.",
            "The component does not belong to this dossier's procedure.",
            fields={"requirement": field_error("Không hợp lệ.", "Invalid.")},
        )
    return requirement
