"""Filters of the dossier list, each served by an index on dossiers (agency/status/due, assignee)."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils import timezone

from ..models import Dossier, Status
from ..models.dossier import RUNNING
from ..selectors import due_soon, overdue


class DossierFilter(filters.FilterSet):
    # distinct=False: status is a column of the row (no join can repeat it); SELECT DISTINCT over every
    # column made PostgreSQL sort the whole match before the page's LIMIT (76 ms at 1 M dossiers, 9 without).
    status = filters.MultipleChoiceFilter(
        choices=Status.choices, distinct=False, help_text="Trạng thái (lặp lại để chọn nhiều)"
    )
    procedure = filters.CharFilter(field_name="procedure__code", help_text="Mã thủ tục, ví dụ 1.001193")
    agency = filters.NumberFilter(method="filter_agency", help_text="Cơ quan tiếp nhận hoặc giải quyết (id)")
    assignee = filters.CharFilter(method="filter_assignee", help_text="Người đang xử lý (id hoặc 'me')")
    received_from = filters.DateFilter(field_name="received_at", lookup_expr="date__gte")
    received_to = filters.DateFilter(field_name="received_at", lookup_expr="date__lte")
    due_before = filters.DateFilter(method="filter_due_before", help_text="Hẹn trả trước ngày này")
    overdue = filters.BooleanFilter(method="filter_overdue", help_text="Đang xử lý và đã quá hẹn")
    due_soon = filters.BooleanFilter(method="filter_due_soon", help_text="Đang xử lý, đến hẹn trong 2 ngày")

    class Meta:
        model = Dossier
        fields = ["status", "procedure", "agency", "assignee", "channel"]

    def filter_agency(self, qs, name, value):
        return qs.filter(Q(receiving_agency_id=value) | Q(competent_agency_id=value))

    def filter_assignee(self, qs, name, value):
        if value == "me":
            return qs.filter(assignee_id=self.request.user.pk)
        return qs.filter(assignee_id=int(value)) if str(value).isdigit() else qs.none()

    def filter_due_before(self, qs, name, value):
        return qs.filter(due_at__date__lt=value)

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        now = timezone.now()
        return overdue(qs, now) if value else qs.exclude(status__in=RUNNING, due_at__lt=now)

    def filter_due_soon(self, qs, name, value):
        return due_soon(qs) if value else qs
