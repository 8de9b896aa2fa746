"""Admin screens (Vietnamese): users with their roles inline, agencies with search, memberships."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agency, Membership, User

admin.site.site_header = _("Quản trị Một cửa")
admin.site.site_title = _("Một cửa")
admin.site.index_title = _("Quản trị hệ thống")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["agency"]
    verbose_name = _("vai trò tại cơ quan")
    verbose_name_plural = _("vai trò tại cơ quan")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "email", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_citizen", "is_staff", "is_superuser", "memberships__role"]
    # Citizen accounts are made by the VNeID sign-in only; the flag cannot be set on a staff account here.
    readonly_fields = ["is_citizen"]
    search_fields = ["username", "full_name", "email", "national_id", "phone"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Thông tin cá nhân"),
            {"fields": ["full_name", "national_id", "phone", "email", "birth_date", "address", "is_citizen"]},
        ),
        (_("Quyền"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Thời gian"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "full_name", "password1", "password2"]}),
    ]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "province_code", "ward_code", "parent", "active"]
    list_filter = ["level", "active"]
    search_fields = ["code", "name", "ward_code", "province_code"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["code", "name", "level", "parent", "active"]}),
        (_("Địa giới"), {"fields": ["province_code", "ward_code"]}),
        (_("Liên hệ"), {"fields": ["address", "phone"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Dossier codes embed the agency code: editable (to set the real e-ID code) only while unused.
        if obj is not None and obj.received_dossiers.exists():
            return ["code"]
        return []


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "agency__name", "agency__code"]
    autocomplete_fields = ["user", "agency"]
    list_select_related = ["user", "agency"]
