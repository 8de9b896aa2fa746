"""Agencies (the centres and the province above them), users and their roles in agencies."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The e-ID agency code of Decision 20/2020/QĐ-TTg as this project uses it: 000.00.11.H15, 000.00.06.H56.
AGENCY_CODE_LENGTH = 13
agency_code_validator = RegexValidator(
    r"\A\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}\Z",
    # Bilingual in one string: the importer reports it as it is, whatever the operator's language.
    "Mã định danh phải có dạng 000.00.11.H15 (ba chữ số, hai chữ số, hai chữ số, "
    "một chữ in hoa và hai chữ số, cách nhau bởi dấu chấm). / The agency code must look like 000.00.11.H15.",
    code="invalid_agency_code",
)


class Agency(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")

    code = models.CharField(
        _("mã định danh"),
        max_length=AGENCY_CODE_LENGTH,
        unique=True,
        validators=[agency_code_validator],
        help_text=_("Mã định danh điện tử (QĐ 20/2020/QĐ-TTg), ví dụ 000.00.11.H15"),
    )
    name = models.CharField(_("tên"), max_length=255)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=8, db_index=True)
    ward_code = models.CharField(_("mã xã/phường"), max_length=8, blank=True, default="")
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True, default="")
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True, default="")
    active = models.BooleanField(_("hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["province_code", "ward_code"],
                condition=~models.Q(ward_code=""),
                name="agency_unique_ward",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=255, blank=True, default="")
    national_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True, default="")
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True, default="")
    # Citizen accounts are made and refreshed by the VNeID sign-in (accounts.citizens), keyed by national_id;
    # they have no password and no staff memberships.
    is_citizen = models.BooleanField(_("tài khoản công dân (VNeID)"), default=False)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True, default="")

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            # One citizen account per personal ID; staff accounts may carry the same ID and stay apart.
            models.UniqueConstraint(
                fields=["national_id"],
                condition=models.Q(is_citizen=True),
                name="user_unique_citizen_national_id",
            ),
            models.CheckConstraint(
                condition=models.Q(is_citizen=False) | models.Q(national_id__regex=r"^[0-9]{12}$"),
                name="user_citizen_national_id_12_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    CLERK = "clerk", _("Công chức một cửa")
    HANDLER = "handler", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo")
    SUPERVISOR = "supervisor", _("Giám sát")
    CITIZEN = "citizen", _("Công dân")
    ADMIN = "admin", _("Quản trị")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    # The office held in this agency (chức danh), printed under the signature of the results a leader signs.
    title = models.CharField(
        _("chức danh"),
        max_length=255,
        blank=True,
        default="",
        help_text=_("Ví dụ: Phó Chủ tịch Ủy ban nhân dân; in dưới chữ ký trên kết quả"),
    )

    class Meta:
        verbose_name = _("vai trò tại cơ quan")
        verbose_name_plural = _("vai trò tại cơ quan")
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique")]
        indexes = [models.Index(fields=["agency", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"
