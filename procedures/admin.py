"""Django admin for the procedure catalogue and calendar overrides, in Vietnamese."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, F
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError

from .importer import CatalogueImportError, import_catalogue
from .models import CalendarOverride, DocumentRequirement, Fee, Procedure, Sector, StepTemplate
from .selectors import search_procedures


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "procedure_count"]
    search_fields = ["code", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(procedure_count=Count("procedures"))

    @admin.display(description=_("Số thủ tục"), ordering="procedure_count")
    def procedure_count(self, obj: Sector) -> int:
        return obj.procedure_count


class RequirementInline(admin.TabularInline):
    model = DocumentRequirement
    extra = 0
    fields = ["order", "name", "originals", "copies", "required", "formats", "note"]


class StepInline(admin.TabularInline):
    model = StepTemplate
    extra = 0
    fields = ["order", "name", "role", "days"]


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0
    fields = ["name", "amount", "unit", "note"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV hoặc XLSX"))
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, không ghi"), required=False)


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sector", "level", "online_level", "time_display", "active", "version"]
    list_filter = ["sector", "level", "online_level", "time_unit", "active"]
    list_select_related = ["sector"]
    search_fields = ["code", "name"]
    filter_horizontal = ["agencies"]
    readonly_fields = ["version", "updated_at"]
    inlines = [RequirementInline, StepInline, FeeInline]
    actions = ["activate", "deactivate"]
    fieldsets = [
        (None, {"fields": ["code", "name", "sector", "level", "online_level", "active"]}),
        (_("Thời hạn"), {"fields": ["time_unit", "legal_days", "committed_days"]}),
        (_("Phí, lệ phí"), {"fields": ["fee_text", "online_fee_discount_pct"]}),
        (_("Nội dung"), {"fields": ["result_type", "result_kind", "requirements_text", "legal_basis"]}),
        (_("Cơ quan thực hiện"), {"fields": ["agencies"]}),
        (_("Phiên bản"), {"fields": ["version", "updated_at"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        # The folded search_text lets "dang ky khai sinh" find "Đăng ký khai sinh" here too.
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return found | search_procedures(queryset, search_term), may_have_duplicates

    @admin.display(description=_("Thời hạn"), ordering="legal_days")
    def time_display(self, obj: Procedure) -> str:
        if obj.time_unit == Procedure.TimeUnit.SAME_DAY:
            return obj.get_time_unit_display()
        return f"{obj.processing_days} {obj.get_time_unit_display().lower()}"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # One new version per edit, whether the procedure itself or its components, steps or fees changed.
        if change and (form.changed_data or any(formset.has_changed() for formset in formsets)):
            Procedure.objects.filter(pk=form.instance.pk).update(version=F("version") + 1)
            form.instance.refresh_from_db(fields=["version"])

    @admin.action(description=_("Áp dụng các thủ tục đã chọn"))
    def activate(self, request, queryset):
        self.message_user(request, _("Đã áp dụng %d thủ tục.") % queryset.update(active=True))

    @admin.action(description=_("Ngừng áp dụng các thủ tục đã chọn"))
    def deactivate(self, request, queryset):
        self.message_user(request, _("Đã ngừng áp dụng %d thủ tục.") % queryset.update(active=False))

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="procedures_procedure_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload a catalogue file; every bad row is listed and nothing is written."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return redirect("admin:procedures_procedure_changelist")
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = import_catalogue(upload, filename=upload.name, dry_run=form.cleaned_data["dry_run"])
            except CatalogueImportError as exc:
                errors = exc.errors
                messages.error(request, exc.vi)
            except DomainError as exc:
                messages.error(request, exc.vi)
            else:
                messages.success(request, report.summary()[0])
                if not report.dry_run:
                    return redirect("admin:procedures_procedure_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Nhập danh mục thủ tục"),
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/procedures/procedure/import.html", context)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working", "reason"]
    list_filter = ["is_working"]
    search_fields = ["reason"]
    date_hierarchy = "date"
