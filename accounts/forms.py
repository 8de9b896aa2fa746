"""The login form: its error messages in Vietnamese (English through gettext), and the sign-in lockout."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import lockout


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị viên."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")
        self.fields["username"].error_messages["required"] = _("Vui lòng nhập tên đăng nhập.")
        self.fields["password"].error_messages["required"] = _("Vui lòng nhập mật khẩu.")

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username is None or not password:
            return super().clean()  # a required field is missing: nothing is checked, nothing counted
        try:
            lockout.check_allowed(self.request, username)
        except lockout.LockedOut as locked:
            raise self._locked(locked) from None
        try:
            super().clean()  # axes counts a failure (user_login_failed); the login clears the run
        except ValidationError:
            if lockout.just_locked(self.request):  # that was the last failure allowed: say so now
                raise self._locked(lockout.locked_out(settings.LOGIN_LOCKOUT_SECONDS)) from None
            raise
        return self.cleaned_data

    def _locked(self, locked: lockout.LockedOut) -> ValidationError:
        self.request.lockout_shown = True  # axes' middleware leaves this page as it is
        message = locked.en if translation.get_language() == "en" else locked.vi
        return ValidationError(message, code=locked.code)
