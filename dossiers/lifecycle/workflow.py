"""The transition table: which action moves which status to which, who may do it, and under what condition.

Each row becomes a django-fsm `@transition` method on Dossier (`graph_transitions dossiers.Dossier` draws the
table); dossiers.services performs the actions and is the only caller of those methods.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, transition

from accounts.models import Role, User
from accounts.scoping import memberships
from config.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from dossiers.documents.results import DRAFT_FIELDS
from dossiers.models import Channel, Dossier, Outcome, Status
from dossiers.models.dossier import OPEN, PAUSED, RUNNING
from procedures.calendar import MAX_YEAR, MIN_YEAR, local
from procedures.models import Procedure

S = Status
RECEIVING, COMPETENT, EITHER = "receiving", "competent", "either"


def _has_next_step(d: Dossier) -> bool:
    """There is a step after the current one to hand the dossier over to."""
    if d.current_step_id is None:
        return False
    order = d.current_step.order
    return d.steps.filter(order__gt=order).exists()


def _supplement_overdue(d: Dossier) -> bool:
    return d.supplement_due_at is not None and d.supplement_due_at <= timezone.now()


def _has_appointment(d: Dossier) -> bool:
    return d.due_at is not None


def _returned_electronically(d: Dossier) -> bool:
    """A full-online procedure filed online is returned entirely online: its signed result is the return
    (Decree 42/2022 "toàn trình"; Decree 45/2020 gives the electronic result the paper one's validity)."""
    return (
        d.channel == Channel.ONLINE
        and d.procedure.online_level == Procedure.OnlineLevel.FULL
        and d.e_result_status == Dossier.EResult.DONE
    )


def _has_earlier_handler_step(d: Dossier) -> bool:
    """There is a handler's step before the current one to send the dossier back to."""
    if d.current_step_id is None:
        return False
    return d.steps.filter(order__lt=d.current_step.order, role=Role.HANDLER).exists()


@dataclass(frozen=True)
class Action:
    name: str
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change; "return" : services choose among `returns`
    roles: tuple[str, ...] = ()  # staff roles allowed, held in the agency of `side`
    side: str = EITHER
    applicant: bool = False  # the citizen who filed it online may act
    system: bool = False  # only the system (no actor) acts
    condition: Callable[[Dossier], bool] | None = None
    step_holder: bool = False  # the actor must hold the current internal step's role (hand-over)
    returns: tuple[str, ...] = field(default=())
    label: Promise | str = ""  # one msgid; the page shows it in the reader's language
    # The roles of the internal steps at which the action belongs (empty: any step, or none yet). A leader
    # at the approval step approves or sends back; handing over is the clerk's and the handler's.
    at_steps: tuple[str, ...] = ()
    public: bool = True  # its event shows on the public timeline; the draft's back-and-forth stays internal

    @property
    def label_vi(self) -> str:
        """The label in Vietnamese, for the `message` of API errors and the audit trail."""
        with translation.override("vi"):
            return str(self.label)

    @property
    def label_en(self) -> str:
        with translation.override("en"):
            return str(self.label)


STAFF = (Role.CLERK, Role.HANDLER, Role.LEADER)

# The one table. Order is the order buttons appear on the dossier page.
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("submit", (S.DRAFT,), S.SUBMITTED, applicant=True, label=pgettext_lazy("action", "Nộp hồ sơ")),
        Action(
            "receive",
            (S.SUBMITTED,),
            S.RECEIVED,
            (Role.CLERK,),
            RECEIVING,
            label=pgettext_lazy("action", "Tiếp nhận"),
        ),
        Action(
            "refuse_intake",
            (S.SUBMITTED,),
            S.REFUSED,
            (Role.CLERK,),
            RECEIVING,
            label=pgettext_lazy("action", "Từ chối tiếp nhận"),
        ),
        Action(
            "forward",
            RUNNING,
            S.PROCESSING,
            STAFF,
            EITHER,
            condition=_has_next_step,
            step_holder=True,
            label=pgettext_lazy("action", "Chuyển xử lý"),
            at_steps=(Role.CLERK, Role.HANDLER),
        ),
        Action(
            "draft_result",
            RUNNING,
            None,
            (Role.HANDLER,),
            COMPETENT,
            step_holder=True,
            label=pgettext_lazy("action", "Lưu dự thảo kết quả"),
            at_steps=(Role.HANDLER,),
            public=False,
        ),
        Action(
            "send_back",
            (S.PROCESSING,),
            None,
            (Role.LEADER,),
            COMPETENT,
            condition=_has_earlier_handler_step,
            label=pgettext_lazy("action", "Trả lại chuyên viên"),
            at_steps=(Role.LEADER,),
            public=False,
        ),
        Action(
            "request_supplement",
            RUNNING,
            S.SUPPLEMENT_REQUESTED,
            (Role.CLERK, Role.HANDLER),
            EITHER,
            label=pgettext_lazy("action", "Yêu cầu bổ sung"),
        ),
        Action(
            "supplement",
            (S.SUPPLEMENT_REQUESTED,),
            "return",
            (Role.CLERK,),
            RECEIVING,
            applicant=True,
            returns=RUNNING,
            label=pgettext_lazy("action", "Nhận bổ sung"),
        ),
        Action(
            "expire_supplement",
            (S.SUPPLEMENT_REQUESTED,),
            S.STOPPED,
            system=True,
            condition=_supplement_overdue,
            label=pgettext_lazy("action", "Quá hạn bổ sung"),
        ),
        Action(
            "request_payment",
            RUNNING,
            S.AWAITING_PAYMENT,
            (Role.CLERK, Role.HANDLER),
            EITHER,
            label=pgettext_lazy("action", "Yêu cầu nộp phí"),
        ),
        # The counter takes the fee. A payment online is confirmed by the system alone, once the payment
        # platform's confirmation verified (lifecycle.payments): never by the applicant's word.
        Action(
            "confirm_payment",
            (S.AWAITING_PAYMENT,),
            "return",
            (Role.CLERK,),
            RECEIVING,
            returns=RUNNING,
            label=pgettext_lazy("action", "Xác nhận đã nộp phí"),
        ),
        Action(
            "apologize",
            (*RUNNING, *PAUSED),
            None,
            (Role.HANDLER, Role.LEADER),
            COMPETENT,
            condition=_has_appointment,
            label=pgettext_lazy("action", "Xin lỗi, hẹn lại"),
        ),
        Action(
            "withdraw",
            (S.SUBMITTED, *RUNNING, *PAUSED),
            S.WITHDRAWN,
            (Role.CLERK,),
            RECEIVING,
            applicant=True,
            label=pgettext_lazy("action", "Rút hồ sơ"),
        ),
        Action(
            "stop",
            (*RUNNING, *PAUSED),
            S.STOPPED,
            (Role.HANDLER, Role.LEADER),
            COMPETENT,
            label=pgettext_lazy("action", "Dừng xử lý"),
        ),
        Action(
            "resolve",
            RUNNING,
            S.RESOLVED,
            (Role.LEADER,),
            COMPETENT,
            label=pgettext_lazy("action", "Phê duyệt và ký"),
            at_steps=(Role.LEADER,),
        ),
        Action(
            "return_result",
            (S.RESOLVED,),
            S.RETURNED,
            (Role.CLERK,),
            RECEIVING,
            label=pgettext_lazy("action", "Trả kết quả"),
        ),
        Action(
            "return_electronic",
            (S.RESOLVED,),
            S.RETURNED,
            system=True,
            condition=_returned_electronically,
            label=pgettext_lazy("action", "Trả kết quả điện tử"),
        ),
    ]
}

TEXT, LONG_TEXT, DRAFT_TEXT, DATE, BOOL, USER, MISSING, INT, IDS = (
    "text",
    "long_text",
    "draft_text",
    "date",
    "bool",
    "user",
    "missing",
    "int",
    "ids",
)
# A result's content field (the articles of a decision, the particulars of a certificate) runs to pages.
MAX_LENGTH = {TEXT: 255, LONG_TEXT: 2000, DRAFT_TEXT: 10_000}
TEXT_KINDS = (TEXT, LONG_TEXT, DRAFT_TEXT)
MAX_INT = 2_000_000_000
# Dates are those of the working-day calendar: outside it no deadline can be counted (and Python's dates end
# at 9999, so a far date overflows as soon as a day is added to it).
MIN_DATE, MAX_DATE = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)
# A new appointment (Form 04) is after today and at most this many days ahead: an apology reschedules a late
# dossier by days or weeks; a year covers the longest procedures, and beyond it the date is a typing error.
APPOINTMENT_HORIZON_DAYS = 366
# A supplement request (Form 02) lists the components to supplement, each with a name and a reason.
MAX_MISSING_ITEMS = 100
MISSING_NAME_LENGTH, MISSING_REASON_LENGTH = 500, 1000


@dataclass(frozen=True)
class Input:
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    help: Promise | str = ""
    appointment: bool = False  # a DATE that is a new appointment: after today, within the horizon

    @property
    def max_length(self) -> int | None:
        return MAX_LENGTH.get(self.kind)


# What each action's payload carries. clean_inputs is the one validator: the API passes its JSON body and the
# desk its form fields to services.perform as they came; the API schema and the desk form are drawn from here.
ACTION_INPUTS: dict[str, dict[str, Input]] = {
    "submit": {},
    "receive": {},
    "refuse_intake": {"reason": Input(LONG_TEXT, True, help=_("Lý do từ chối (Mẫu 03)"))},
    "forward": {
        "to_user": Input(USER, help=_("Người nhận; mặc định người giữ vai trò của bước sau")),
        "note": Input(LONG_TEXT, help=_("Kết quả, ghi chú của bước (Mẫu 06)")),
    },
    "request_supplement": {
        "missing": Input(MISSING, True, help=_("Mọi thành phần cần bổ sung, mỗi mục một lý do")),
        "note": Input(LONG_TEXT),
    },
    "supplement": {
        "provided_requirement_ids": Input(IDS, help=_("Thành phần đã bổ sung")),
        "note": Input(LONG_TEXT),
    },
    "draft_result": {
        name: Input(DRAFT_TEXT, help=_("Theo loại kết quả của thủ tục: %(label)s") % {"label": f.label})
        for name, f in DRAFT_FIELDS.items()
    },
    "send_back": {"note": Input(LONG_TEXT, True, help=_("Điều chuyên viên cần sửa trong dự thảo"))},
    "expire_supplement": {},
    "request_payment": {
        "amount": Input(INT, help=_("Số tiền (đồng); để trống: phí theo danh mục thủ tục")),
        "note": Input(LONG_TEXT),
    },
    "confirm_payment": {"note": Input(LONG_TEXT)},
    "apologize": {
        "reason": Input(LONG_TEXT, True, help=_("Lý do chậm (Mẫu 04)")),
        "new_due_date": Input(
            DATE,
            True,
            help=_("Ngày hẹn trả mới: sau ngày hẹn cũ và hôm nay, tối đa %(days)s ngày tới")
            % {"days": APPOINTMENT_HORIZON_DAYS},
            appointment=True,
        ),
    },
    "withdraw": {"reason": Input(LONG_TEXT, True)},
    "stop": {
        "reason": Input(LONG_TEXT, True, help=_("Lý do dừng giải quyết (Mẫu 05)")),
        "legal_ground": Input(LONG_TEXT, True, help=_("Căn cứ pháp lý: văn bản, điều, khoản (Mẫu 05)")),
    },
    "resolve": {
        "outcome": Input(TEXT, True, tuple(Outcome.values)),
        "reason": Input(LONG_TEXT, help=_("Bắt buộc khi từ chối giải quyết")),
        "draft_version": Input(
            INT,
            help=_(
                "Phiên bản dự thảo đã xem trước; bắt buộc khi phê duyệt: "
                "kết quả được ban hành từ đúng bản này"
            ),
        ),
    },
    "return_result": {
        "method": Input(TEXT, True, tuple(Dossier.ReturnMethod.values)),
        "note": Input(LONG_TEXT),
    },
    "return_electronic": {},
}


class _Refused(ValueError):
    """A value of the right type that breaks a rule the user should read (the field's message)."""

    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.error = field_error(vi, en)


_INVALID = field_error("Giá trị không hợp lệ.", "Invalid value.")


def clean_inputs(action: str, data, today: date | None = None) -> dict:
    """The action's payload checked against ACTION_INPUTS; unknown keys are ignored, every error reported.

    The only validation of an action's inputs, whichever door they came through: a JSON body (numbers may be
    JSON numbers or digit strings) or a desk form (every value a string, a ticked box True). `today` (local,
    default now) is the day an appointment must come after.
    """
    spec = ACTION_INPUTS[action]
    data = data if isinstance(data, dict) else {}
    today = today or local(timezone.now()).date()
    clean, errors = {}, {}
    for name, inp in spec.items():
        value = data.get(name)
        if isinstance(value, str) and inp.kind not in TEXT_KINDS and not value.strip():
            value = None
        if value in (None, "", []):
            if inp.required:
                errors[name] = field_error("Trường này là bắt buộc.", "This field is required.")
            clean[name] = False if inp.kind == BOOL else None
            continue
        try:
            clean[name] = _coerce(inp, value, today)
        except _Refused as refused:
            errors[name] = refused.error
            continue
        except (TypeError, ValueError, OverflowError):
            errors[name] = _INVALID
            continue
        if inp.kind == MISSING:
            errors.update(missing_items_errors(clean[name], name))
        if clean[name] == "" and inp.required:  # only spaces
            errors[name] = field_error("Trường này là bắt buộc.", "This field is required.")
    if action == "resolve" and clean.get("outcome") == Outcome.DENIED and not clean.get("reason"):
        errors["reason"] = field_error("Cần nêu lý do từ chối giải quyết.", "Give the reason for the denial.")
    if (
        action == "resolve"
        and clean.get("outcome") == Outcome.APPROVED
        and clean.get("draft_version") is None
    ):
        errors["draft_version"] = field_error(
            "Cần xem trước và nêu phiên bản dự thảo được phê duyệt.",
            "Preview the draft and give the version you approve.",
        )
    if errors:
        raise InvalidInput("Dữ liệu thao tác chưa hợp lệ.", "Invalid action input.", fields=errors)
    return clean


def missing_items_errors(items: list, name: str = "missing") -> dict:
    """The shape of a supplement list's items, by dotted field name: each an object whose requirement_id is
    a whole number (or absent) and whose name and reason are text within their limits. The same rule for a
    request_supplement action and for a counter intake with components missing."""
    errors = {}
    limits = (("name", MISSING_NAME_LENGTH), ("reason", MISSING_REASON_LENGTH))
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue  # validate_missing_list asks for its name and reason
        req_id = item.get("requirement_id")
        if req_id is not None and (isinstance(req_id, bool) or not isinstance(req_id, int)):
            errors[f"{name}.{i}.requirement_id"] = _INVALID
        for key, limit in limits:
            text = item.get(key)
            if text is None:
                continue
            if not isinstance(text, str):
                errors[f"{name}.{i}.{key}"] = _INVALID
            elif len(text) > limit:
                errors[f"{name}.{i}.{key}"] = field_error(
                    f"Quá dài (tối đa {limit} ký tự).", f"Too long ({limit} characters at most)."
                )
    return errors


def _int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError
    number = int(value)
    if number < 0 or number > MAX_INT:
        raise ValueError
    return number


def _date(inp: Input, value, today: date) -> date:
    if isinstance(value, date):
        day = value
    elif isinstance(value, str):
        day = date.fromisoformat(value.strip())
    else:
        raise TypeError
    if not MIN_DATE <= day <= MAX_DATE:
        raise _Refused(
            f"Ngày phải trong khoảng năm {MIN_YEAR}–{MAX_YEAR}.",
            f"The date must fall within the years {MIN_YEAR}-{MAX_YEAR}.",
        )
    if inp.appointment:
        last = today + timedelta(days=APPOINTMENT_HORIZON_DAYS)
        if day <= today:
            raise _Refused("Ngày hẹn mới phải sau hôm nay.", "The new appointment must be after today.")
        if day > last:
            raise _Refused(
                f"Ngày hẹn mới chậm nhất là {last:%d/%m/%Y} ({APPOINTMENT_HORIZON_DAYS} ngày tới).",
                f"The new appointment may be {last:%Y-%m-%d} at the latest.",
            )
    return day


def _coerce(inp: Input, value, today: date):
    if inp.kind in TEXT_KINDS:
        if not isinstance(value, str):
            raise TypeError
        text = value.strip()
        if "\x00" in text:  # PostgreSQL text cannot hold it
            raise ValueError
        if inp.choices and text not in inp.choices:
            raise ValueError
        if len(text) > inp.max_length:
            limit = inp.max_length
            raise _Refused(f"Quá dài (tối đa {limit} ký tự).", f"Too long ({limit} characters at most).")
        return text
    if inp.kind == DATE:
        return _date(inp, value, today)
    if inp.kind == BOOL:
        if not isinstance(value, bool):
            raise TypeError
        return value
    if inp.kind in (INT, USER):
        return _int(value)
    if inp.kind == IDS:
        if not isinstance(value, list):
            raise TypeError
        return [_int(v) for v in value]
    if inp.kind == MISSING:
        if not isinstance(value, list):
            raise TypeError
        if len(value) > MAX_MISSING_ITEMS:
            raise _Refused(
                f"Tối đa {MAX_MISSING_ITEMS} thành phần trong một lần yêu cầu bổ sung.",
                f"At most {MAX_MISSING_ITEMS} components in one supplement request.",
            )
        return value  # missing_items_errors checks the items' shape, validate_missing_list their procedure
    raise ValueError(inp.kind)


# --- who may act ---


def may_act(action: Action, dossier: Dossier, user: User | None) -> bool:
    """The role rule of the action, ignoring the current status."""
    if action.system or user is None:
        return action.system and user is None
    if action.applicant and dossier.applicant_user_id and dossier.applicant_user_id == user.pk:
        return True
    agencies = {
        RECEIVING: (dossier.receiving_agency_id,),
        COMPETENT: (dossier.competent_agency_id,),
        EITHER: (dossier.receiving_agency_id, dossier.competent_agency_id),
    }[action.side]
    held = memberships(user)
    return any((agency_id, role) in held for agency_id in agencies for role in action.roles)


def holds_current_step(dossier: Dossier, user: User | None) -> bool:
    """The user holds the role of the dossier's current step in that step's agency."""
    step = dossier.current_step
    return step is not None and (step.agency_id, step.role) in memberships(user)


def _may_act_now(action: Action, dossier: Dossier, user: User | None) -> bool:
    return may_act(action, dossier, user) and (not action.step_holder or holds_current_step(dossier, user))


def at_its_step(action: Action, dossier: Dossier) -> bool:
    """The dossier's current step is one the action belongs to (workflow.Action.at_steps)."""
    step = dossier.current_step if dossier.current_step_id else None
    return not action.at_steps or step is None or step.role in action.at_steps


def _condition_met(action: Action, dossier: Dossier) -> bool:
    return at_its_step(action, dossier) and (action.condition is None or action.condition(dossier))


def allowed_actions(dossier: Dossier, user: User | None) -> list[str]:
    """The actions `user` may perform on the dossier now, in table order (the dossier page shows these)."""
    return [
        a.name
        for a in ACTIONS.values()
        if dossier.status in a.sources and _may_act_now(a, dossier, user) and _condition_met(a, dossier)
    ]


def action_named(name: str) -> Action:
    try:
        return ACTIONS[name]
    except KeyError:
        raise NotFound(
            f"Không có thao tác {name}.", f"No such action: {name}.", code="unknown_action"
        ) from None


def check_allowed(dossier: Dossier, name: str, user: User | None) -> Action:
    """Raise Conflict (wrong status or condition) or Forbidden (wrong role), naming the allowed actions."""
    action = action_named(name)
    with translation.override("vi"):
        status_label = str(Status(dossier.status).label)
    if dossier.status not in action.sources or not (action.condition is None or action.condition(dossier)):
        allowed = allowed_actions(dossier, user)
        raise Conflict(
            f"Không thể thực hiện «{action.label_vi}» khi hồ sơ ở trạng thái «{status_label}».",
            f"Cannot {action.label_en.lower()} a dossier in status '{dossier.status}'.",
            code="action_not_allowed",
            status=dossier.status,
            allowed_actions=allowed,
        )
    if not may_act(action, dossier, user):
        raise Forbidden(
            f"Bạn không có quyền thực hiện «{action.label_vi}» cho hồ sơ này.",
            f"You may not {action.label_en.lower()} this dossier.",
            code="role_not_allowed",
            status=dossier.status,
            allowed_actions=allowed_actions(dossier, user),
        )
    if not at_its_step(action, dossier):
        raise Conflict(
            f"Thao tác «{action.label_vi}» không thuộc bước «{dossier.current_step.name}» của hồ sơ.",
            f"'{action.label_en}' does not belong to the current step '{dossier.current_step.name}'.",
            code="not_this_step",
            status=dossier.status,
            allowed_actions=allowed_actions(dossier, user),
        )
    if action.step_holder and not holds_current_step(dossier, user):
        raise Conflict(
            f"Hồ sơ đã chuyển sang bước «{dossier.current_step.name}», không còn do bạn xử lý.",
            f"The dossier has moved on to the step '{dossier.current_step.name}', no longer yours.",
            code="step_moved_on",
            status=dossier.status,
            allowed_actions=allowed_actions(dossier, user),
        )
    return action


# --- who may attach files and re-issue results ---

# Files can be added while the dossier is being completed or handled; not once it is resolved or closed.
ATTACHABLE = (S.DRAFT, *OPEN)
# The applicant who filed online completes their own dossier: before submitting, until it is received, and
# when asked for a supplement. Once received, the counter and the handling official hold the file.
APPLICANT_ATTACHES = (S.DRAFT, S.SUBMITTED, S.SUPPLEMENT_REQUESTED)


def may_attach(dossier: Dossier, user: User | None, *, component: bool) -> bool:
    """Who may attach a file to the dossier, ignoring its status: a component of the procedure (intake,
    supplement, reused digitised data) or a working document (a file the procedure does not list).

    - the clerk of the receiving agency: the counter takes components in and digitises them;
    - the handler of the competent agency: working documents of the appraisal, not the applicant's components;
    - the applicant who filed online, for their own dossier, while it is theirs to complete.
    """
    if user is None:
        return False
    if dossier.applicant_user_id and dossier.applicant_user_id == user.pk:
        if dossier.status in APPLICANT_ATTACHES:
            return True
    held = memberships(user)
    if (dossier.receiving_agency_id, Role.CLERK) in held:
        return True
    return not component and (dossier.competent_agency_id, Role.HANDLER) in held


def may_attach_now(dossier: Dossier, user: User | None, *, component: bool) -> bool:
    """may_attach, and the dossier still takes files (the dossier page offers uploads on this)."""
    return dossier.status in ATTACHABLE and may_attach(dossier, user, component=component)


def check_may_attach(dossier: Dossier, user: User | None, *, component: bool) -> None:
    """Raise Conflict (the dossier no longer takes files) or Forbidden (the user may not attach here)."""
    if dossier.status not in ATTACHABLE:
        raise Conflict(
            "Hồ sơ đã kết thúc, không thể đính kèm thêm tài liệu.",
            "The dossier is closed; no documents can be attached.",
            code="dossier_closed",
            status=dossier.status,
        )
    if not may_attach(dossier, user, component=component):
        if component:
            vi = "Bạn không có quyền đính kèm thành phần cho hồ sơ này."
            en = "You may not attach components to this dossier."
        else:
            vi = "Bạn không có quyền đính kèm tài liệu cho hồ sơ này."
            en = "You may not attach documents to this dossier."
        raise Forbidden(vi, en, code="upload_not_allowed", status=dossier.status)


def may_reissue_result(dossier: Dossier, user: User | None) -> bool:
    """Who may queue the electronic result again: the system, an administrator, or a leader of the
    competent agency (who signs its results)."""
    if user is None:
        return True
    if getattr(user, "is_superuser", False):
        return True
    return (dossier.competent_agency_id, Role.LEADER) in memberships(user)


def check_may_reissue_result(dossier: Dossier, user: User | None) -> None:
    if not may_reissue_result(dossier, user):
        raise Forbidden(
            "Bạn không có quyền phát hành lại kết quả điện tử của hồ sơ này.",
            "You may not re-issue the electronic result of this dossier.",
            code="reissue_not_allowed",
        )


# --- who may read the result's draft ---


def may_preview_result(dossier: Dossier, user: User | None) -> bool:
    """The handler who drafts and the leader who signs: staff of those roles in the competent agency."""
    if user is None:
        return False
    held = memberships(user)
    return any((dossier.competent_agency_id, role) in held for role in (Role.HANDLER, Role.LEADER))


def check_may_preview_result(dossier: Dossier, user: User | None) -> None:
    if not may_preview_result(dossier, user):
        raise Forbidden(
            "Chỉ chuyên viên và lãnh đạo của cơ quan giải quyết được xem dự thảo kết quả.",
            "Only the competent agency's handlers and leaders may read the result's draft.",
            code="preview_not_allowed",
        )


# --- the table as django-fsm transitions on Dossier ---


def _install_transitions() -> None:
    status_field = Dossier._meta.get_field("status")
    for action in ACTIONS.values():

        def method(self, target: str | None = None):
            return target

        method.__name__ = method.__qualname__ = action.name
        method.__doc__ = f"{action.label_vi} ({action.label_en})."
        options = {
            "field": status_field,
            "conditions": [action.condition] if action.condition else [],
            "permission": lambda instance, user, _a=action: _may_act_now(_a, instance, user),
            "custom": {"label": action.label},
        }
        if action.target is None:
            # The status stays: one transition per source onto itself (drawn as a loop).
            for source in action.sources:
                method = transition(source=source, target=source, **options)(method)
        else:
            target = RETURN_VALUE(*action.returns) if action.target == "return" else action.target
            method = transition(source=list(action.sources), target=target, **options)(method)
        setattr(Dossier, action.name, method)
    # The field collected the model's transitions when the class was prepared; collect again with ours.
    status_field._collect_transitions(sender=Dossier)


_install_transitions()
