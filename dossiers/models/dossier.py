"""The dossier (hồ sơ) and its internal handling steps."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.models import AGENCY_CODE_LENGTH

from .search import folded_name

# `{agency code}-{yyMMdd}-{NNNN}`: the daily number has four digits (dossiers.lifecycle.codes refuses more).
DOSSIER_CODE_LENGTH = AGENCY_CODE_LENGTH + len("-yyMMdd-NNNN")


class Status(models.TextChoices):
    """Statuses follow the national catalogue; national_code() gives the number."""

    DRAFT = "draft", _("Chưa nộp")
    SUBMITTED = "submitted", _("Mới đăng ký")
    RECEIVED = "received", _("Được tiếp nhận")
    REFUSED = "refused", _("Không được tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung giấy tờ")
    AWAITING_PAYMENT = "awaiting_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân yêu cầu rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    RESOLVED = "resolved", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")


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
    COUNTER = "counter", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Bưu chính công ích")


CHANNEL_CODES = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POST: 3}


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Chấp thuận")
    DENIED = "denied", _("Từ chối giải quyết")


class PopulationCheck(models.TextChoices):
    """The applicant's data against the national population database. Blank: never to be checked (dossiers
    from before the link existed)."""

    PENDING = "pending", _("Chưa xác thực")
    VERIFIED = "verified", _("Đã xác thực")
    MISMATCH = "mismatch", _("Sai khác với CSDL dân cư")
    NOT_FOUND = "not_found", _("Không có trong CSDL dân cư")


class Dossier(models.Model):
    class ReturnMethod(models.TextChoices):
        IN_PERSON = "in_person", _("Trả trực tiếp")
        ELECTRONIC = "electronic", _("Trả điện tử")
        POST = "post", _("Qua bưu chính")

    class EResult(models.TextChoices):
        NONE = "", _("Chưa có")
        PENDING = "pending", _("Đang phát hành")
        DONE = "done", _("Đã ký số")
        FAILED = "failed", _("Lỗi phát hành")

    class Satisfaction(models.TextChoices):
        """Five levels per dossier, as ratings are taken in practice; the 766 indicator counts the first two
        (SATISFIED_LEVELS) as satisfied."""

        VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
        SATISFIED = "satisfied", _("Hài lòng")
        NEUTRAL = "neutral", _("Bình thường")
        DISSATISFIED = "dissatisfied", _("Không hài lòng")
        VERY_DISSATISFIED = "very_dissatisfied", _("Rất không hài lòng")

    code = models.CharField(_("mã hồ sơ"), max_length=DOSSIER_CODE_LENGTH, unique=True)
    procedure = models.ForeignKey(
        "procedures.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    procedure_version = models.PositiveIntegerField(default=1)
    receiving_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("nơi tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    competent_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("cơ quan giải quyết"),
        on_delete=models.PROTECT,
        related_name="competent_dossiers",
    )

    applicant_name = models.CharField(_("người nộp"), max_length=255)
    applicant_id_number = models.CharField(_("số định danh"), max_length=12)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True, default="")
    applicant_email = models.EmailField(_("thư điện tử"), blank=True, default="")
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True, default="")
    applicant_birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="filed_dossiers",
    )
    subject = models.TextField(_("nội dung yêu cầu"), blank=True, default="")
    sets = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)
    channel = models.CharField(_("kênh nộp"), max_length=16, choices=Channel.choices, default=Channel.COUNTER)

    status = FSMField(
        _("trạng thái"), max_length=32, choices=Status.choices, default=Status.DRAFT, protected=True
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
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    clock_started_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Khi hồ sơ đầy đủ; bổ sung ngay khi tiếp nhận làm đồng hồ chạy lại"),
    )
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    legal_due_at = models.DateTimeField(
        _("hạn giải quyết"),
        null=True,
        blank=True,
        help_text=_("Hạn theo quy định sau khi trừ thời gian tạm dừng; thư xin lỗi không đổi hạn này"),
    )
    original_due_at = models.DateTimeField(_("ngày hẹn ban đầu"), null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Có kết quả, bị từ chối, dừng hoặc rút (QĐ 766)")
    )
    outcome = models.CharField(_("kết quả"), max_length=16, choices=Outcome.choices, blank=True, default="")
    outcome_note = models.TextField(blank=True, default="")
    return_method = models.CharField(max_length=16, choices=ReturnMethod.choices, blank=True, default="")

    paused_at = models.DateTimeField(null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    supplement_due_at = models.DateTimeField(_("hạn bổ sung"), null=True, blank=True)
    apology_count = models.PositiveSmallIntegerField(default=0)

    fee_amount = models.PositiveIntegerField(_("phí, lệ phí (đồng)"), default=0)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_online = models.BooleanField(default=False)

    tracking_pin = models.CharField(_("mã tra cứu"), max_length=6)
    e_result_status = models.CharField(max_length=16, choices=EResult.choices, blank=True, default="")
    e_result_error = models.TextField(blank=True, default="")
    # While a pending result's task is trusted to be queued or running; past it, the results sweep queues it
    # again (dossiers.documents.issuing).
    e_result_claimed_until = models.DateTimeField(null=True, blank=True)
    is_digitised = models.BooleanField(_("đã số hoá thành phần"), default=False)
    reuses_data = models.BooleanField(_("tái sử dụng dữ liệu số"), default=False)
    satisfaction = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True, default="")
    # Filed online by a citizen account that signed in with the national e-ID (a 12-digit ID and no staff
    # role: accounts.oidc keys citizen accounts by it); the portal's TaiKhoanDuocXacThucVoiVNeID flag.
    vneid_verified = models.BooleanField(_("tài khoản xác thực VNeID"), default=False, db_default=False)
    # The code the National Public Service Portal gave a dossier filed there (pulled in by
    # dossiers.national.dvcqg_pull); empty for dossiers filed here. Unique: a pull never makes one twice.
    national_code = models.CharField(
        _("mã hồ sơ trên Cổng DVCQG"), max_length=40, blank=True, default="", db_default=""
    )

    # The applicant checked against the national population database (dossiers.lifecycle.population): only
    # the server's own lookup sets these: at intake from the desk's lookup, later by the periodic check.
    population_check = models.CharField(
        _("đối chiếu CSDL dân cư"),
        max_length=16,
        choices=PopulationCheck.choices,
        blank=True,
        default="",
        db_default="",
    )
    population_checked_at = models.DateTimeField(_("đối chiếu lúc"), null=True, blank=True)
    # What differs from the population record, [{"field", "dossier", "population"}], when the check failed.
    population_differences = models.JSONField(default=list, db_default=[], blank=True)
    # The national databases whose records the applicant's data was checked against (["population"]): the
    # DVCQG sync and the 766 indicators read it.
    # Defaults in the database too: bulk loads (COPY) that name only the columns they know stay valid.
    national_sources = models.JSONField(
        _("dữ liệu quốc gia đã dùng"), default=list, db_default=[], blank=True
    )

    # Sweep markers: a sweep acts once per change, then marks the row.
    due_soon_notified_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        constraints = [
            models.UniqueConstraint(
                fields=["national_code"], condition=~Q(national_code=""), name="dossier_national_code"
            ),
        ]
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
            # The citizen portal's "my dossiers", newest first.
            models.Index(fields=["applicant_user", "-id"], name="dossier_applicant_user_id"),
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
            # Refusals at intake by the day of refusal (dossiers.reporting.sql): never received, so the
            # statistics cannot find them through received_at; a few percent of the rows.
            models.Index(
                fields=["competent_agency", "finished_at"],
                name="dossier_comp_refused",
                condition=Q(status=Status.REFUSED),
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
            # The population check reads only the dossiers still to be checked.
            models.Index(
                fields=["id"],
                name="dossier_population_pending",
                condition=Q(population_check="pending"),
            ),
            # The results sweep reads only dossiers whose result is still to be issued.
            models.Index(
                fields=["e_result_claimed_until"],
                name="dossier_e_result_pending",
                condition=Q(e_result_status="pending"),
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
    """One internal step of a dossier, made from its procedure's StepTemplate."""

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
            # A person's open steps by due: the live badge and the digest (reminders).
            models.Index(
                fields=["assignee", "due_at"],
                name="step_open_assignee_due",
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


# The 766 satisfaction indicator: the top two of the five levels count as satisfied.
SATISFIED_LEVELS = (Dossier.Satisfaction.VERY_SATISFIED, Dossier.Satisfaction.SATISFIED)
