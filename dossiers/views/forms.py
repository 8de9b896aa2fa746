"""Django forms of the desk: counter intake, and one form per workflow action built from ACTION_INPUTS."""

from __future__ import annotations

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from config.errors import localized
from dossiers.documents.results import DRAFT_FIELDS
from dossiers.lifecycle.clock import holders_by_load
from dossiers.lifecycle.supplements import open_request
from dossiers.lifecycle.workflow import (
    ACTION_INPUTS,
    BOOL,
    DATE,
    DRAFT_TEXT,
    IDS,
    INT,
    LONG_TEXT,
    MISSING,
    USER,
)
from dossiers.models import Dossier, DossierStep, Outcome
from procedures.models import Procedure

APPLICANT_FIELDS = {
    "id_number": "applicant_id_number",
    "name": "applicant_name",
    "birth_date": "applicant_birth_date",
    "phone": "applicant_phone",
    "email": "applicant_email",
    "address": "applicant_address",
}


class DateInput(forms.DateInput):
    input_type = "date"


class IntakeForm(forms.Form):
    """Counter intake; the service checks the rules, this form only reads the request."""

    procedure = forms.IntegerField(widget=forms.HiddenInput)
    agency = forms.IntegerField(widget=forms.HiddenInput)
    # The ID first: the lookup in the population database fills in the name, birth date and address.
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân (12 số)"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=255)
    # Read as text: the service says what is wrong with it (dossiers.lifecycle.validation).
    applicant_birth_date = forms.CharField(label=_("Ngày sinh"), required=False, widget=DateInput)
    applicant_phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    applicant_email = forms.CharField(
        label=_("Thư điện tử"), max_length=254, required=False, widget=forms.EmailInput
    )
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    subject = forms.CharField(
        label=_("Nội dung yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sets = forms.IntegerField(label=_("Số bộ hồ sơ"), min_value=1, max_value=99, initial=1)
    supplement_now = forms.BooleanField(
        label=_("Tiếp nhận và yêu cầu bổ sung ngay các thành phần bắt buộc còn thiếu"), required=False
    )
    supplement_reason = forms.CharField(label=_("Lý do bổ sung"), required=False, max_length=500)

    def __init__(self, *args, requirements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = list(requirements)
        for req in self.requirements:
            self.fields[f"provided_{req.pk}"] = forms.BooleanField(label=req.name, required=False)

    def provided_ids(self) -> list[int]:
        return [r.pk for r in self.requirements if self.cleaned_data.get(f"provided_{r.pk}")]

    def applicant(self) -> dict:
        return {key: self.cleaned_data.get(name) or "" for key, name in APPLICANT_FIELDS.items()}

    def missing(self) -> list[dict] | None:
        """The supplement list at intake: every required component not ticked, with the clerk's reason."""
        if not self.cleaned_data.get("supplement_now"):
            return None
        reason = self.cleaned_data.get("supplement_reason") or str(_("Chưa nộp khi tiếp nhận"))
        provided = set(self.provided_ids())
        return [
            {"requirement_id": r.pk, "name": r.name, "reason": reason}
            for r in self.requirements
            if r.required and r.pk not in provided
        ]

    def add_domain_errors(self, fields: dict) -> None:
        """Per-field messages of a DomainError shown beside the form's own fields."""
        for name, error in fields.items():
            target = APPLICANT_FIELDS.get(name, name)
            if target == "provided_requirement_ids" or target.startswith("missing"):
                target = None
            elif target not in self.fields:
                target = None
            self.add_error(target, localized(error))


def procedure_for_intake(procedure_id, agency: Agency) -> Procedure | None:
    from procedures.selectors import procedures_offered_by

    try:
        pk = int(procedure_id)
    except (TypeError, ValueError):
        return None
    return procedures_offered_by(agency).prefetch_related("requirements").filter(pk=pk).first()


# --- action forms ---

FIELD_LABELS = {
    "reason": _("Lý do"),
    "legal_ground": _("Căn cứ pháp lý"),
    "note": _("Ghi chú"),
    "to_user": _("Chuyển cho"),
    "new_due_date": _("Ngày hẹn trả mới"),
    "outcome": _("Kết quả giải quyết"),
    "method": _("Hình thức trả kết quả"),
    "amount": _("Số tiền (đồng)"),
    "provided_requirement_ids": _("Thành phần đã bổ sung"),
    "missing": _("Thành phần cần bổ sung"),
    "draft_version": _("Phiên bản dự thảo"),
}
CHOICE_LABELS = {"outcome": Outcome.choices, "method": Dossier.ReturnMethod.choices}


class RawField(forms.Field):
    """A form field that only reads the request: the value goes to the service as it came, and the service
    (workflow.clean_inputs) says what is wrong with it."""

    def __init__(self, *, choices=None, **kwargs):
        kwargs["required"] = False
        super().__init__(**kwargs)
        self.choices = list(choices) if choices is not None else None
        if self.choices is not None:
            self.widget.choices = self.choices


def next_step_candidates(dossier: Dossier) -> list[tuple[str, str]]:
    """Holders of the next step's role in its agency, least busy first (the default when none is chosen)."""
    if dossier.current_step_id is None:
        return []
    nxt = (
        DossierStep.objects.filter(dossier=dossier, order__gt=dossier.current_step.order)
        .order_by("order")
        .first()
    )
    if nxt is None:
        return []
    return [(str(u.pk), u.display_name) for u in holders_by_load(nxt.agency_id, nxt.role)]


def selection_candidates(dossier_ids: list[int]) -> list[tuple[str, str]]:
    """Holders of the next step's role for a selection: of each (agency, role) the selected dossiers' next
    steps need, least busy first, each person once (the service checks the recipient for every dossier)."""
    steps = (
        DossierStep.objects.filter(dossier_id__in=dossier_ids, order__gt=F("dossier__current_step__order"))
        .order_by("dossier_id", "order")
        .values_list("dossier_id", "agency_id", "role")
    )
    needed, seen = {}, set()
    for dossier_id, agency_id, role in steps:
        if dossier_id not in seen:  # the first step after the current one
            seen.add(dossier_id)
            needed.setdefault((agency_id, role), None)
    people = {}
    for agency_id, role in needed:
        for user in holders_by_load(agency_id, role):
            people.setdefault(str(user.pk), user.display_name)
    return list(people.items())


class ActionForm(forms.Form):
    """The inputs of one action (workflow.ACTION_INPUTS) as desk fields. It validates nothing: `payload()`
    hands the raw values to `services.perform`, and `add_domain_errors` shows the service's field errors."""

    def __init__(self, action: str, dossier: Dossier | None, *args, candidates=None, **kwargs):
        """`dossier` None: the inputs of a selection of dossiers, with the recipients `candidates` offers."""
        super().__init__(*args, **kwargs)
        self.action, self.dossier = action, dossier
        self.missing_rows = []
        self.supplement_request = None
        self.required_names = set()
        for name, inp in ACTION_INPUTS[action].items():
            label = FIELD_LABELS.get(name) or (DRAFT_FIELDS[name].label if name in DRAFT_FIELDS else name)
            if inp.required:
                self.required_names.add(name)
            if inp.kind == MISSING:
                self._add_missing_fields()
            elif name in CHOICE_LABELS:
                self.fields[name] = RawField(
                    label=label, choices=CHOICE_LABELS[name], widget=forms.RadioSelect
                )
            elif inp.kind == LONG_TEXT:
                self.fields[name] = RawField(label=label, widget=forms.Textarea(attrs={"rows": 3}))
            elif inp.kind == DRAFT_TEXT:
                rows = DRAFT_FIELDS[name].rows if name in DRAFT_FIELDS else 6
                self.fields[name] = RawField(label=label, widget=forms.Textarea(attrs={"rows": rows}))
            elif name == "draft_version":  # the version previewed, set by the page (documents.drafts)
                self.fields[name] = RawField(label=label, widget=forms.HiddenInput)
            elif inp.kind == DATE:
                self.fields[name] = RawField(label=label, widget=DateInput)
            elif inp.kind == BOOL:
                self.fields[name] = RawField(label=label, widget=forms.CheckboxInput)
            elif inp.kind == USER:
                if candidates is None:
                    candidates = next_step_candidates(dossier)
                choices = [("", _("Tự động (người ít việc nhất)"))] + candidates
                self.fields[name] = RawField(label=label, choices=choices, widget=forms.Select)
            elif inp.kind == INT:
                self.fields[name] = RawField(label=label, widget=forms.NumberInput)
            elif inp.kind == IDS:
                self.fields[name] = RawField(
                    label=label, choices=self._id_choices(), widget=forms.CheckboxSelectMultiple
                )
            else:
                self.fields[name] = RawField(label=label, widget=forms.TextInput)
            if inp.help and name in self.fields:
                self.fields[name].help_text = inp.help

    def _id_choices(self) -> list[tuple[str, str]]:
        """The components to tick: for a supplement, only those the open request asked for."""
        if self.action == "supplement":
            self.supplement_request = open_request(self.dossier)
            if self.supplement_request is not None and self.supplement_request.requirement_ids:
                return [
                    (str(i["requirement_id"]), i["name"])
                    for i in self.supplement_request.items
                    if isinstance(i["requirement_id"], int)
                ]
        return [(str(r.pk), r.name) for r in self._requirements()]

    def _requirements(self):
        if not hasattr(self, "_reqs"):
            self._reqs = list(self.dossier.procedure.requirements.all()) if self.dossier else []
        return self._reqs

    def _add_missing_fields(self) -> None:
        for req in self._requirements():
            self.fields[f"missing_{req.pk}"] = RawField(label=req.name, widget=forms.CheckboxInput)
            self.fields[f"missing_reason_{req.pk}"] = RawField(label=_("Lý do"), widget=forms.TextInput)
            self.missing_rows.append((self[f"missing_{req.pk}"], self[f"missing_reason_{req.pk}"]))
        self.fields["missing_other"] = RawField(label=_("Giấy tờ khác"), widget=forms.TextInput)
        self.fields["missing_other_reason"] = RawField(label=_("Lý do"), widget=forms.TextInput)

    def payload(self) -> dict:
        """The submitted values in the shape of ACTION_INPUTS, unchecked: the service validates them."""
        raw = self.cleaned_data if self.is_valid() else {}
        data = {}
        for name, inp in ACTION_INPUTS[self.action].items():
            data[name] = self._missing_list() if inp.kind == MISSING else raw.get(name)
        return data

    def _missing_list(self) -> list[dict]:
        """The ticked components and the free-text one, each with the reason typed beside it."""
        raw = self.cleaned_data
        items = [
            {"requirement_id": r.pk, "name": r.name, "reason": raw.get(f"missing_reason_{r.pk}") or ""}
            for r in self._requirements()
            if raw.get(f"missing_{r.pk}")
        ]
        if (raw.get("missing_other") or "").strip():
            items.append({"name": raw["missing_other"], "reason": raw.get("missing_other_reason") or ""})
        return items

    def add_domain_errors(self, fields: dict) -> None:
        """The service's field errors beside the fields they name, in the page's language."""
        self.is_valid()  # the form has its (empty) errors to add to
        for name, error in fields.items():
            message = localized(error)
            if name.startswith("missing."):
                parts = name.split(".")
                index = int(parts[1]) if parts[1].isdigit() else -1
                picked = self._missing_list()
                req_id = picked[index].get("requirement_id") if 0 <= index < len(picked) else None
                target = f"missing_reason_{req_id}" if req_id else "missing_other_reason"
                name = target if target in self.fields else None
            elif name not in self.fields:
                name = None
            self.add_error(name, message)
