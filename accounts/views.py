"""Sign-in, sign-out and the home page that sends each user to the screen of their role."""

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect

from .forms import LoginForm
from .models import Role
from .scoping import roles_of

DESK_ROLES = {Role.CLERK, Role.HANDLER, Role.LEADER}


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = False


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


def home_path_for(user) -> str:
    """Where a signed-in user starts: the desk for staff, reports for supervisors, the portal for citizens."""
    if not user.is_authenticated:
        return "/accounts/login/"
    roles = roles_of(user)
    if roles & DESK_ROLES:
        return "/desk/"
    if Role.SUPERVISOR in roles or user.is_superuser:
        return "/dashboard/"
    if Role.ADMIN in roles or user.is_staff:
        return "/admin/"
    return "/cong-dan/"


def home(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return redirect(home_path_for(request.user))
