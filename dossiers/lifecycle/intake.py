"""New dossiers: counter intake (created and received in one step) and online submission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Agency, Role, User
from accounts.scoping import memberships
from config.errors import Forbidden, InvalidInput, field_error
from dossiers.documents.uploads import refresh_digitised, store_portal_component
from dossiers.lifecycle import clock
from dossiers.lifecycle.actions import request_supplement_now
from dossiers.lifecycle.codes import new_dossier_code, new_tracking_pin
from dossiers.lifecycle.events import record_event
from dossiers.lifecycle.population import record_at_intake
from dossiers.lifecycle.validation import missing_required, validate_applicant, validate_missing_list
from dossiers.models import Channel, Dossier, Status
from procedures.models import DocumentRequirement, Procedure
from procedures.selectors import listing_allows


def _check_procedure(procedure: Procedure, agency: Agency) -> None:
    if not procedure.active:
        raise InvalidInput(
            "Thủ tục này không còn áp dụng.",
            "This procedure is no longer in force.",
            fields={"procedure": field_error("Thủ tục không còn áp dụng.", "Inactive procedure.")},
        )
    if not listing_allows(procedure, agency):
        raise InvalidInput(
            "Cơ quan này không thực hiện thủ tục đã chọn.",
            "This agency does not handle the chosen procedure.",
            fields={"procedure": field_error("Thủ tục không thuộc cơ quan.", "Not offered here.")},
        )


def _competent(agency: Agency, competent_agency: Agency | None) -> Agency:
    """Receipt regardless of administrative boundary: any active agency of the same province may handle it."""
    if competent_agency is None or competent_agency.pk == agency.pk:
        return agency
    if competent_agency.province_code != agency.province_code or not competent_agency.active:
        raise InvalidInput(
            "Cơ quan giải quyết phải thuộc cùng tỉnh, thành phố với nơi tiếp nhận.",
            "The competent agency must be in the receiving agency's province.",
            fields={
                "competent_agency": field_error(
                    "Khác tỉnh hoặc không hoạt động.", "Another province or inactive."
                )
            },
        )
    return competent_agency


def _check_sets(sets: int) -> None:
    if not isinstance(sets, int) or isinstance(sets, bool) or not 1 <= sets <= 99:
        raise InvalidInput(
            "Số bộ hồ sơ phải từ 1 đến 99.",
            "Sets must be between 1 and 99.",
            fields={"sets": field_error("Từ 1 đến 99.", "1 to 99.")},
        )


def _missing_error(missing: list) -> InvalidInput:
    names = "; ".join(r.name for r in missing)
    return InvalidInput(
        f"Hồ sơ còn thiếu thành phần bắt buộc: {names}.",
        f"Required components are missing: {names}.",
        code="components_missing",
        fields={"provided_requirement_ids": field_error(f"Còn thiếu: {names}.", f"Missing: {names}.")},
        missing=[{"requirement_id": r.pk, "name": r.name} for r in missing],
    )


def _new_dossier(
    *,
    agency: Agency,
    competent: Agency,
    procedure: Procedure,
    applicant: dict,
    subject: str,
    sets: int,
    channel: str,
    at: datetime,
    status: str,
) -> Dossier:
    """The new dossier with its code; call inside the intake transaction (the daily number is locked)."""
    return Dossier(
        code=new_dossier_code(agency, at),
        procedure=procedure,
        procedure_version=procedure.version,
        receiving_agency=agency,
        competent_agency=competent,
        applicant_name=applicant["name"],
        applicant_id_number=applicant["id_number"],
        applicant_phone=applicant["phone"],
        applicant_email=applicant["email"],
        applicant_address=applicant["address"],
        applicant_birth_date=applicant.get("birth_date"),
        subject=(subject or procedure.name).strip()[:5000],
        sets=sets,
        channel=channel,
        status=status,
        tracking_pin=new_tracking_pin(),
        submitted_at=at,
    )


def receive_at_counter(
    *,
    actor: User,
    agency: Agency,
    procedure: Procedure,
    applicant: dict,
    provided_requirement_ids: list[int],
    channel: str = Channel.COUNTER,
    subject: str = "",
    sets: int = 1,
    competent_agency: Agency | None = None,
    missing: list[dict] | None = None,
    at: datetime | None = None,
) -> Dossier:
    """A clerk receives a dossier at the counter (or by post): it is created, coded and received at once.

    Required components not provided must be listed in `missing` (a reason each): the dossier is then
    received and a supplement is requested in the same transaction, and its clock restarts on completion.
    """
    at = at or timezone.now()
    if (agency.pk, Role.CLERK) not in memberships(actor):
        raise Forbidden(
            "Chỉ công chức một cửa của cơ quan mới được tiếp nhận hồ sơ.",
            "Only a one-stop clerk of this agency may receive dossiers.",
            code="role_not_allowed",
        )
    if channel not in Channel.values:
        raise InvalidInput(
            "Kênh nộp không hợp lệ.",
            "Invalid channel.",
            fields={"channel": field_error("Kênh nộp không hợp lệ.", "Invalid channel.")},
        )
    clean = validate_applicant(applicant)
    _check_sets(sets)
    _check_procedure(procedure, agency)
    competent = _competent(agency, competent_agency)
    lacking = missing_required(procedure, list(provided_requirement_ids))
    supplement_list = validate_missing_list(procedure, missing) if missing else None
    if lacking and not supplement_list:
        raise _missing_error(lacking)

    with transaction.atomic():
        dossier = _new_dossier(
            agency=agency,
            competent=competent,
            procedure=procedure,
            applicant=clean,
            subject=subject,
            sets=sets,
            channel=channel,
            at=at,
            status=Status.SUBMITTED,
        )
        dossier.received_by = actor
        record_at_intake(dossier, at)
        clock.start_clock(dossier, at)
        dossier.receive()
        dossier.save()
        clock.create_steps(dossier, at, actor)
        dossier.save(update_fields=["current_step", "assignee"])
        # Created and received in one step: the dossier was never "submitted", so its history starts from
        # no status (online dossiers keep submitted -> received).
        record_event(
            dossier,
            "receive",
            actor=actor,
            from_status="",
            at=at,
            payload={
                "channel": channel,
                "provided_requirement_ids": sorted(provided_requirement_ids),
                "due_at": clock.iso(dossier.due_at),
                "competent_agency": competent.code,
                "to_name": agency.name,
                "assignee_name": actor.display_name,
                "population_check": dossier.population_check,
            },
        )
        if supplement_list:
            request_supplement_now(dossier, actor, supplement_list, "", at)
    return dossier


def signed_in_with_vneid(user: User) -> bool:
    """A citizen account of the national e-ID: made at VNeID sign-in (accounts.citizens, `is_citizen`),
    keyed by a 12-digit personal ID and holding no staff role (a clerk filing for someone is not the
    citizen's e-ID). A password account with an ID typed in is not VNeID-verified."""
    if not getattr(user, "is_citizen", False):
        return False
    national_id = user.national_id or ""
    staff = {role for _agency, role in memberships(user)} - {Role.CITIZEN}
    return len(national_id) == 12 and national_id.isdigit() and not staff


def _new_online_dossier(agency: Agency, procedure: Procedure, applicant: dict, subject: str, at: datetime):
    """A dossier filed online (on the portal here or the national one), coded and still a draft: the caller
    submits it once its own facts are set."""
    return _new_dossier(
        agency=agency,
        competent=agency,
        procedure=procedure,
        applicant=applicant,
        subject=subject,
        sets=1,
        channel=Channel.ONLINE,
        at=at,
        status=Status.DRAFT,
    )


def submit_online(
    *,
    applicant_user: User,
    agency: Agency,
    procedure: Procedure,
    applicant: dict,
    provided_requirement_ids: list[int],
    subject: str = "",
    at: datetime | None = None,
) -> Dossier:
    """A citizen files online: the dossier is coded and waits for a clerk to receive it."""
    at = at or timezone.now()
    if not getattr(applicant_user, "is_authenticated", False):
        raise Forbidden("Cần đăng nhập để nộp hồ sơ trực tuyến.", "Log in to file online.")
    if procedure.online_level == Procedure.OnlineLevel.NONE:
        raise InvalidInput(
            "Thủ tục này không nhận hồ sơ trực tuyến.",
            "This procedure is not offered online.",
            fields={"procedure": field_error("Không trực tuyến.", "Not online.")},
        )
    clean = validate_applicant(applicant)
    _check_procedure(procedure, agency)
    lacking = missing_required(procedure, list(provided_requirement_ids))
    if lacking:
        raise _missing_error(lacking)
    with transaction.atomic():
        dossier = _new_online_dossier(agency, procedure, clean, subject, at)
        dossier.applicant_user = applicant_user
        dossier.vneid_verified = signed_in_with_vneid(applicant_user)
        record_at_intake(dossier, at)
        dossier.submit()
        dossier.save()
        record_event(
            dossier,
            "submit",
            actor=applicant_user,
            from_status=Status.DRAFT,
            at=at,
            payload={"provided_requirement_ids": sorted(provided_requirement_ids)},
        )
    return dossier


@dataclass
class PortalComponent:
    """One component file of a portal-filed dossier, already downloaded and checked (uploads.check_file)."""

    requirement: DocumentRequirement | None
    name: str
    content: bytes
    checked: tuple[str, str, int]


def take_in_from_portal(
    *,
    national_code: str,
    agency: Agency,
    procedure: Procedure,
    applicant: dict,
    subject: str,
    filed_at: datetime,
    vneid_verified: bool,
    components: list[PortalComponent],
) -> tuple[Dossier, bool]:
    """A dossier filed on the National Public Service Portal joins the clerk's "Chờ tiếp nhận" queue as an
    online dossier (status 1), keeping its national code. The system acts (no user). Idempotent by that
    code: (the dossier, False) when it was taken in before. All of it or nothing: a failure leaves no row
    and no stored file."""
    existing = Dossier.objects.filter(national_code=national_code).first()
    if existing is not None:
        return existing, False
    clean = validate_applicant(applicant)
    _check_procedure(procedure, agency)
    stored: list[str] = []
    try:
        with transaction.atomic():
            dossier = _new_online_dossier(agency, procedure, clean, subject, filed_at)
            dossier.national_code = national_code
            dossier.vneid_verified = vneid_verified
            dossier.submit()
            dossier.save()
            for component in components:
                doc = store_portal_component(
                    dossier,
                    component.requirement,
                    ContentFile(component.content),
                    component.name,
                    component.checked,
                )
                stored.append(doc.file.name)
            refresh_digitised(dossier)
            record_event(
                dossier,
                "submit",
                from_status=Status.DRAFT,
                at=filed_at,
                payload={
                    "source": "dvcqg",
                    "national_code": national_code,
                    "provided_requirement_ids": sorted(c.requirement.pk for c in components if c.requirement),
                },
            )
    except IntegrityError:
        for name in stored:
            default_storage.delete(name)
        existing = Dossier.objects.filter(national_code=national_code).first()
        if existing is None:
            raise
        return existing, False  # taken in by a concurrent pull
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return dossier, True
