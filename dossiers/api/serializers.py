"""Dossier API shapes: list rows, detail, events, the intake payload and one payload shape per action."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dossiers.documents.issuing import FORM_NAMES, forms_that_apply
from dossiers.lifecycle.deadlines import intake_warnings
from dossiers.lifecycle.labels import event_label
from dossiers.lifecycle.predicates import is_past_appointment
from dossiers.lifecycle.workflow import (
    ACTION_INPUTS,
    BOOL,
    DATE,
    DRAFT_TEXT,
    IDS,
    INT,
    LONG_TEXT,
    MAX_INT,
    MAX_MISSING_ITEMS,
    MISSING,
    MISSING_NAME_LENGTH,
    MISSING_REASON_LENGTH,
    TEXT,
    USER,
    allowed_actions,
)

from ..models import Channel, Dossier, DossierEvent, DossierStep, Status


class AgencyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ProcedureRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DossierListSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    national_status_code = serializers.IntegerField(allow_null=True)
    procedure = ProcedureRefSerializer()
    receiving_agency = AgencyRefSerializer()
    competent_agency = AgencyRefSerializer()
    assignee_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField(
        help_text="Trễ hẹn: đang giải quyết và đã qua ngày giờ hẹn trả (due_at), như bộ lọc overdue"
    )

    class Meta:
        model = Dossier
        fields = [
            "code",
            "status",
            "status_label",
            "national_status_code",
            "procedure",
            "applicant_name",
            "channel",
            "receiving_agency",
            "competent_agency",
            "assignee_name",
            "received_at",
            "due_at",
            "legal_due_at",
            "resolved_at",
            "returned_at",
            "outcome",
            "apology_count",
            "supplement_count",
            "overdue",
        ]

    def get_assignee_name(self, obj) -> str:
        return obj.assignee.display_name if obj.assignee_id else ""

    def get_overdue(self, obj) -> bool:
        return is_past_appointment(obj, timezone.now())


class DossierStepSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")
    assignee_name = serializers.SerializerMethodField()

    class Meta:
        model = DossierStep
        fields = ["order", "name", "role", "agency", "assignee_name", "started_at", "due_at", "finished_at"]

    def get_assignee_name(self, obj) -> str:
        return obj.assignee.display_name if obj.assignee_id else ""


class PrintableFormSerializer(serializers.Serializer):
    number = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField()


class DossierDetailSerializer(DossierListSerializer):
    steps = DossierStepSerializer(many=True)
    allowed_actions = serializers.SerializerMethodField()
    printable_forms = serializers.SerializerMethodField()

    class Meta(DossierListSerializer.Meta):
        fields = [
            *DossierListSerializer.Meta.fields,
            "applicant_id_number",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
            "applicant_birth_date",
            "population_check",
            "population_checked_at",
            "population_differences",
            "national_sources",
            "subject",
            "sets",
            "tracking_pin",
            "original_due_at",
            "clock_started_at",
            "paused_at",
            "paused_working_days",
            "supplement_due_at",
            "finished_at",
            "outcome_note",
            "return_method",
            "fee_amount",
            "paid_at",
            "e_result_status",
            "steps",
            "allowed_actions",
            "printable_forms",
        ]

    def get_allowed_actions(self, obj) -> list[str]:
        return allowed_actions(obj, self.context["request"].user)

    @extend_schema_field(PrintableFormSerializer(many=True))
    def get_printable_forms(self, obj) -> list[dict]:
        """The forms that apply now (issuing.forms_that_apply), each with its PDF endpoint."""
        return [
            {"number": n, "name": FORM_NAMES[n], "url": f"/api/v1/dossiers/{obj.code}/forms/{n}.pdf"}
            for n in forms_that_apply(obj)
        ]


class EventSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField(help_text="Tên sự kiện theo ngôn ngữ của người đọc")

    class Meta:
        model = DossierEvent
        fields = [
            "at",
            "action",
            "label",
            "from_status",
            "to_status",
            "actor_name",
            "note",
            "payload",
            "public",
        ]

    def get_label(self, obj) -> str:
        return event_label(obj.action)


class ApplicantSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    id_number = serializers.CharField(max_length=20, help_text="Số định danh cá nhân, 12 chữ số")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    birth_date = serializers.DateField(
        required=False, allow_null=True, help_text="Ngày sinh (không bắt buộc)"
    )


class MissingItemSerializer(serializers.Serializer):
    requirement_id = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=MISSING_NAME_LENGTH)
    reason = serializers.CharField(max_length=MISSING_REASON_LENGTH)


class IntakeSerializer(serializers.Serializer):
    """Counter intake. Field rules (citizen ID, phone…) are checked by dossiers.validation in the service."""

    procedure = serializers.CharField(max_length=32, help_text="Mã thủ tục")
    agency = serializers.CharField(
        max_length=32,
        required=False,
        help_text="Mã cơ quan tiếp nhận; mặc định cơ quan duy nhất của công chức",
    )
    competent_agency = serializers.CharField(
        max_length=32, required=False, help_text="Mã cơ quan giải quyết (cùng tỉnh), nếu khác nơi tiếp nhận"
    )
    applicant = ApplicantSerializer()
    provided_requirement_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=True
    )
    missing = MissingItemSerializer(
        many=True,
        required=False,
        max_length=MAX_MISSING_ITEMS,
        help_text="Thành phần còn thiếu: tiếp nhận và yêu cầu bổ sung ngay",
    )
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.COUNTER)
    subject = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    sets = serializers.IntegerField(min_value=1, max_value=99, default=1)


class IntakeWarningSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["outside_office_hours", "non_working_day"])
    message = serializers.CharField(help_text="Tiếng Việt")
    message_en = serializers.CharField()
    counts_from = serializers.DateField(help_text="Ngày bắt đầu tính thời gian giải quyết")


class IntakeResultSerializer(serializers.Serializer):
    """Declared field by field: a ModelSerializer rebuilds its fields from the model on every response."""

    code = serializers.CharField()
    population_check = serializers.CharField(
        help_text="verified: đối chiếu khớp CSDL dân cư (tra cứu trước khi tiếp nhận); mismatch, not_found; "
        "pending: chưa xác thực, sẽ được đối chiếu sau"
    )
    status = serializers.ChoiceField(choices=Status.choices)
    received_at = serializers.DateTimeField()
    appointment = serializers.DateTimeField(source="due_at")
    tracking_pin = serializers.CharField()
    warnings = serializers.SerializerMethodField(
        help_text="Cảnh báo cho công chức: tiếp nhận ngoài giờ làm việc hoặc vào ngày nghỉ; "
        "rỗng khi trong giờ làm việc"
    )

    @extend_schema_field(IntakeWarningSerializer(many=True))
    def get_warnings(self, dossier) -> list[dict]:
        procedure = dossier.procedure
        return intake_warnings(dossier.received_at, procedure.processing_days, procedure.time_unit)


# The documented shape of each input kind, with the limits workflow.clean_inputs enforces.
_FIELDS = {
    TEXT: lambda inp: (
        serializers.ChoiceField(choices=inp.choices)
        if inp.choices
        else serializers.CharField(max_length=inp.max_length)
    ),
    LONG_TEXT: lambda inp: serializers.CharField(max_length=inp.max_length),
    DRAFT_TEXT: lambda inp: serializers.CharField(max_length=inp.max_length, allow_blank=True),
    DATE: lambda inp: serializers.DateField(),  # within MIN_DATE..MAX_DATE (and the horizon): clean_inputs
    BOOL: lambda inp: serializers.BooleanField(),
    USER: lambda inp: serializers.IntegerField(min_value=0, max_value=MAX_INT),
    INT: lambda inp: serializers.IntegerField(min_value=0, max_value=MAX_INT),
    IDS: lambda inp: serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=MAX_INT)),
    MISSING: lambda inp: MissingItemSerializer(many=True, max_length=MAX_MISSING_ITEMS),
}


def _action_serializer(action: str) -> type[serializers.Serializer]:
    """The documented payload of one action, drawn from workflow.ACTION_INPUTS for the OpenAPI schema only.

    Never used to validate: the view hands the body to services.perform, where workflow.clean_inputs checks it
    the same way for the API and the desk.
    """
    attrs = {}
    for name, inp in ACTION_INPUTS[action].items():
        field = _FIELDS[inp.kind](inp)
        field.required = inp.required
        field.help_text = inp.help or None
        attrs[name] = field
    camel = "".join(part.title() for part in action.split("_"))
    return type(f"{camel}ActionSerializer", (serializers.Serializer,), attrs)


ACTION_SERIALIZERS = {action: _action_serializer(action) for action in ACTION_INPUTS}
