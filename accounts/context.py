"""Template context: the signed-in user's roles and agencies, for the navigation (one query per request)."""

from .models import Membership


def user_roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set(), "user_memberships": []}
    if not hasattr(request, "_user_memberships"):
        rows = list(Membership.objects.filter(user=user).order_by("id").values_list("role", "agency__name"))
        labels = dict(Membership._meta.get_field("role").choices)
        request._user_roles = {role for role, _ in rows}
        request._user_memberships = [{"role": labels.get(r, r), "agency": a} for r, a in rows]
    return {"user_roles": request._user_roles, "user_memberships": request._user_memberships}
