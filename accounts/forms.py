"""The login form: its error messages in Vietnamese (English through gettext), and the sign-in lockout."""

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
            lockout.check_allowed(username, self.request)
        except lockout.LockedOut as locked:
            message = locked.en if translation.get_language() == "en" else locked.vi
            raise ValidationError(message, code=locked.code) from None
        try:
            super().clean()
        except ValidationError:
            lockout.record_failure(username, self.request)
            raise
        lockout.record_success(username)
        return self.cleaned_data
