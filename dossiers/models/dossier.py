"""The dossier (hồ sơ) and its internal handling steps."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django_fsm import FSMField

from accounts.models import AGENCY_CODE_LENGTH

from .search import folded_name

# `{agency code}-{yyMMdd}-{NNNN}`: the daily number has four digits (dossiers.lifecycle.codes refuses more).
DOSSIER_CODE_LENGTH = AGENCY_CODE_LENGTH + len("-yyMMdd-NNNN")


class Status(models.TextChoices):
    """Statuses follow the national catalogue; national_code() gives the number."""

    DRAFT = "draft", "Chưa nộp"
    SUBMITTED = "submitted", "Mới đăng ký"
    RECEIVED = "received", "Được tiếp nhận"
    REFUSED = "refused", "Không được tiếp nhận"
    PROCESSING = "processing", "Đang xử lý"
    SUPPLEMENT_REQUESTED = "supplement_requested", "Yêu cầu bổ sung giấy tờ"
    AWAITING_PAYMENT = "awaiting_payment", "Yêu cầu thực hiện nghĩa vụ tài chính"
    WITHDRAWN = "withdrawn", "Công dân yêu cầu rút hồ sơ"
    STOPPED = "stopped", "Dừng xử lý"
    RESOLVED = "resolved", "Đã xử lý xong"
    RETURNED = "returned", "Đã trả kết quả"


NATIONAL_CODES = {
    Status.SUBMITTED: 1,
    Status.RECEIVED: 2,
    Status.REFUSED: 3,
    Status.PROCESSING: 4,
    Status.SUPPLEMENT_REQUESTED: 5,
    Status.AWAITING_PAYMENT: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.RESOLVED: 9,
    Status.RETURNED: 10,
}
# The clock runs in these; paused ones stop it; final ones can never change again.
RUNNING = (Status.RECEIVED, Status.PROCESSING)
PAUSED = (Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT)
OPEN = (Status.SUBMITTED, *RUNNING, *PAUSED)
FINAL = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)


class Channel(models.TextChoices):
    COUNTER = "counter", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    POST = "post", "Bưu chính công ích"


CHANNEL_CODES = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POST: 3}


class Outcome(models.TextChoices):
    APPROVED = "approved", "Chấp thuận"
    DENIED = "denied", "Từ chối giải quyết"


class Dossier(models.Model):
    class ReturnMethod(models.TextChoices):
        IN_PERSON = "in_person", "Trả trực tiếp"
        ELECTRONIC = "electronic", "Trả điện tử"
        POST = "post", "Qua bưu chính"

    class EResult(models.TextChoices):
        NONE = "", "Chưa có"
        PENDING = "pending", "Đang phát hành"
        DONE = "done", "Đã ký số"
        FAILED = "failed", "Lỗi phát hành"

    class Satisfaction(models.TextChoices):
        VERY_SATISFIED = "very_satisfied", "Rất hài lòng"
        SATISFIED = "satisfied", "Hài lòng"
        NOT_SATISFIED = "not_satisfied", "Không hài lòng"

    code = models.CharField("mã hồ sơ", max_length=DOSSIER_CODE_LENGTH, unique=True)
    procedure = models.ForeignKey(
        "procedures.Procedure", verbose_name="thủ tục", on_delete=models.PROTECT, related_name="dossiers"
    )
    procedure_version = models.PositiveIntegerField(default=1)
    receiving_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="nơi tiếp nhận",
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    competent_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="cơ quan giải quyết",
        on_delete=models.PROTECT,
        related_name="competent_dossiers",
    )

    applicant_name = models.CharField("người nộp", max_length=255)
    applicant_id_number = models.CharField("số định danh", max_length=12)
    applicant_phone = models.CharField("điện thoại", max_length=20, blank=True, default="")
    applicant_email = models.EmailField("thư điện tử", blank=True, default="")
    applicant_address = models.CharField("địa chỉ", max_length=500, blank=True, default="")
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="filed_dossiers",
    )
    subject = models.TextField("nội dung yêu cầu", blank=True, default="")
    sets = models.PositiveSmallIntegerField("số bộ hồ sơ", default=1)
    channel = models.CharField("kênh nộp", max_length=16, choices=Channel.choices, default=Channel.COUNTER)

    status = FSMField(
        "trạng thái", max_length=32, choices=Status.choices, default=Status.DRAFT, protected=True
    )
    current_step = models.ForeignKey(
        "dossiers.DossierStep", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_dossiers",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField("ngày tiếp nhận", null=True, blank=True)
    clock_started_at = models.DateTimeField(
        null=True, blank=True, help_text="Khi hồ sơ đầy đủ; bổ sung ngay khi tiếp nhận làm đồng hồ chạy lại"
    )
    due_at = models.DateTimeField("ngày hẹn trả", null=True, blank=True)
    legal_due_at = models.DateTimeField(
        "hạn giải quyết",
        null=True,
        blank=True,
        help_text="Hạn theo quy định sau khi trừ thời gian tạm dừng; thư xin lỗi không đổi hạn này",
    )
    original_due_at = models.DateTimeField("ngày hẹn ban đầu", null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(
        null=True, blank=True, help_text="Có kết quả, bị từ chối, dừng hoặc rút (QĐ 766)"
    )
    outcome = models.CharField("kết quả", max_length=16, choices=Outcome.choices, blank=True, default="")
    outcome_note = models.TextField(blank=True, default="")
    return_method = models.CharField(max_length=16, choices=ReturnMethod.choices, blank=True, default="")

    paused_at = models.DateTimeField(null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    supplement_due_at = models.DateTimeField("hạn bổ sung", null=True, blank=True)
    apology_count = models.PositiveSmallIntegerField(default=0)

    fee_amount = models.PositiveIntegerField("phí, lệ phí (đồng)", default=0)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_online = models.BooleanField(default=False)

    tracking_pin = models.CharField("mã tra cứu", max_length=6)
    e_result_status = models.CharField(max_length=16, choices=EResult.choices, blank=True, default="")
    e_result_error = models.TextField(blank=True, default="")
    is_digitised = models.BooleanField("đã số hoá thành phần", default=False)
    reuses_data = models.BooleanField("tái sử dụng dữ liệu số", default=False)
    satisfaction = models.CharField(max_length=16, choices=Satisfaction.choices, blank=True, default="")

    # Sweep markers: a sweep acts once per change, then marks the row.
    due_soon_notified_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        indexes = [
            models.Index(fields=["receiving_agency", "status", "due_at"], name="dossier_recv_status_due"),
            models.Index(fields=["competent_agency", "status", "due_at"], name="dossier_comp_status_due"),
            models.Index(fields=["competent_agency", "received_at"], name="dossier_comp_received"),
            # The API list's default order (newest first) within an agency and status.
            models.Index(fields=["receiving_agency", "status", "-id"], name="dossier_recv_status_id"),
            models.Index(fields=["competent_agency", "status", "-id"], name="dossier_comp_status_id"),
            models.Index(fields=["receiving_agency", "received_at"], name="dossier_recv_received"),
            models.Index(fields=["assignee", "status"], name="dossier_assignee_status"),
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id"),
            # The desk search: phone exactly, any part of the code, any part of the name without diacritics.
            models.Index(fields=["applicant_phone"], name="dossier_applicant_phone"),
            GinIndex(fields=["code"], opclasses=["gin_trgm_ops"], name="dossier_code_trgm"),
            GinIndex(OpClass(folded_name(), name="gin_trgm_ops"), name="dossier_name_folded_trgm"),
            models.Index(
                fields=["legal_due_at"],
                name="dossier_open_legal_due",
                condition=Q(status__in=[s.value for s in RUNNING]),
            ),
            models.Index(
                fields=["supplement_due_at"],
                name="dossier_supplement_due",
                condition=Q(status=Status.SUPPLEMENT_REQUESTED),
            ),
            # The deadline sweeps: only running dossiers not yet marked, so their cost follows the changes.
            models.Index(
                fields=["legal_due_at"],
                name="dossier_overdue_pending",
                condition=Q(status__in=[s.value for s in RUNNING], overdue_at__isnull=True),
            ),
            models.Index(
                fields=["due_at"],
                name="dossier_due_soon_pending",
                condition=Q(status__in=[s.value for s in RUNNING], due_soon_notified_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def national_status_code(self) -> int | None:
        return NATIONAL_CODES.get(self.status)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL


class DossierStep(models.Model):
    """One internal step of a dossier, made from its procedure's StepTemplate; Form 05 reads it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    role = models.CharField(max_length=16)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_steps",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    due_soon_notified_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "order"], name="dossier_step_unique_order")]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="step_open_due",
                condition=Q(started_at__isnull=False, finished_at__isnull=True),
            ),
            models.Index(
                fields=["due_at"],
                name="step_overdue_pending",
                condition=Q(started_at__isnull=False, finished_at__isnull=True, overdue_at__isnull=True),
            ),
            models.Index(
                fields=["due_at"],
                name="step_due_soon_pending",
                condition=Q(
                    started_at__isnull=False, finished_at__isnull=True, due_soon_notified_at__isnull=True
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.order} {self.name}"
