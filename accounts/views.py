"""Sign-in, sign-out and the home page that sends each user to the screen of their role."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .forms import LoginForm
from .models import Role
from .scoping import roles_of

DESK_ROLES = {Role.CLERK, Role.HANDLER, Role.LEADER}


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = False


def login_page(request, *, vneid_error: str = "", status: int = 200):
    """The login page with an empty staff form and, when a citizen sign-in was refused, the reason."""
    context = {"form": LoginForm(request), "next": "", "vneid_error": vneid_error}
    return TemplateResponse(request, LoginView.template_name, context, status=status)


class LogoutView(auth_views.LogoutView):
    """Ends the local session; a citizen is then sent to VNeID's end-session endpoint when one is set."""

    template_name = "accounts/logged_out.html"

    def post(self, request, *args, **kwargs):
        end_session = provider_logout_url(request)
        response = super().post(request, *args, **kwargs)
        if not end_session:
            return response
        # A page that moves on to the provider (meta refresh, and a link): a redirect answering the sign-out
        # form would be blocked by the Content-Security-Policy's form-action, which allows this site only.
        return TemplateResponse(request, self.template_name, {"end_session_url": end_session})


def provider_logout_url(request) -> str:
    id_token = request.session.get("oidc_id_token")
    if not settings.OIDC_OP_LOGOUT_ENDPOINT or not id_token or not getattr(request.user, "is_citizen", False):
        return ""
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:login")),
        }
    )
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}"


def home_path_for(user) -> str:
    """Where a signed-in user starts: the desk for staff, reports for supervisors, the portal for citizens."""
    if not user.is_authenticated:
        return "/accounts/login/"
    if user.is_citizen:
        return settings.CITIZEN_HOME_URL
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
