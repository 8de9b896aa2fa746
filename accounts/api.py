"""API: exchange a username/password for a token, and describe the signed-in user with their roles."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import DomainError, field_error

from . import lockout
from .authentication import token_expired
from .models import Membership, User

MISSING = ("Thiếu tên đăng nhập hoặc mật khẩu.", "Username and password are required.")
# The username column's length; a password is hashed whole, so a megabyte of one costs a megabyte of hashing.
MAX_LENGTH = {"username": 150, "password": 1024}


class InvalidCredentials(DomainError):
    status_code = 400
    code = "invalid_credentials"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=MAX_LENGTH["username"])
    password = serializers.CharField(
        max_length=MAX_LENGTH["password"], style={"input_type": "password"}, trim_whitespace=False
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Gửi kèm mọi yêu cầu: `Authorization: Token <token>`")


class MembershipSerializer(serializers.ModelSerializer):
    agency_id = serializers.IntegerField()
    agency_code = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    agency_level = serializers.CharField(source="agency.level")
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = Membership
        fields = ["agency_id", "agency_code", "agency_name", "agency_level", "role", "role_label"]


class MeSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField()
    memberships = MembershipSerializer(many=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "display_name", "email", "is_superuser", "memberships"]


class ObtainTokenView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token",
        summary="Lấy token đăng nhập (Obtain an API token)",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Sai tên đăng nhập hoặc mật khẩu"),
            429: OpenApiResponse(
                description="Đăng nhập sai quá nhiều lần với tên này từ địa chỉ này (LOGIN_MAX_FAILURES, "
                "khóa LOGIN_LOCKOUT_SECONDS); thử lại sau Retry-After giây. Mã lỗi `login_locked` "
                "(too many failed sign-ins for this username from this address)"
            ),
        },
        tags=["auth"],
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            raise InvalidCredentials(*MISSING)
        fields = {}
        for name in ("username", "password"):
            value = request.data.get(name)
            if value is not None and not isinstance(value, str):
                fields[name] = field_error("Phải là một chuỗi ký tự.", "Must be a string.")
            elif not (value or "").strip():
                fields[name] = field_error("Trường này là bắt buộc.", "This field is required.")
            elif len(value) > MAX_LENGTH[name]:
                fields[name] = field_error(
                    f"Quá dài (tối đa {MAX_LENGTH[name]} ký tự).", f"Too long ({MAX_LENGTH[name]} at most)."
                )
        if fields:
            raise InvalidCredentials(*MISSING, fields=fields)
        username = request.data["username"]
        lockout.check_allowed(request, username)  # refused before the password is looked at
        user = authenticate(request, username=username, password=request.data["password"])
        if user is None or not user.is_active:  # axes has counted the failure (user_login_failed)
            if lockout.just_locked(request):
                raise lockout.locked_out(settings.LOGIN_LOCKOUT_SECONDS)
            raise InvalidCredentials(
                "Tên đăng nhập hoặc mật khẩu không đúng.", "Invalid username or password."
            )
        lockout.forget_failures(request, username)
        token, _ = Token.objects.get_or_create(user=user)
        if token_expired(token):
            token.delete()
            token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    @extend_schema(
        operation_id="me", summary="Người dùng hiện tại (Current user)", responses=MeSerializer, tags=["auth"]
    )
    def get(self, request):
        with_agency = Membership.objects.select_related("agency").order_by("id")
        memberships = Prefetch("memberships", queryset=with_agency)
        user = User.objects.prefetch_related(memberships).get(pk=request.user.pk)
        return Response(MeSerializer(user).data)
