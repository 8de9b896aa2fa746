"""Who may call the dossier endpoints; finer rules (role per action, agency) live in dossiers.workflow."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.models import Role
from accounts.scoping import memberships


class CanReceiveOrRead(BasePermission):
    """Any signed-in user reads (the queryset is scoped); only a clerk somewhere may file a counter intake."""

    message = "Chỉ công chức một cửa mới được tiếp nhận hồ sơ."

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method in SAFE_METHODS:
            return True
        return any(role == Role.CLERK for _, role in memberships(request.user))
