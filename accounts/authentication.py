"""API token authentication: the token, its user and the user's memberships in one plain SQL statement."""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

# Imported by DRF's settings while config.errors loads: models and dossiers.workflow are imported when used.


@cache
def _statement() -> tuple[str, list[str]]:
    """The SELECT (built once from the models) and the user's field names, in column order."""
    from rest_framework.authtoken.models import Token

    from .models import Membership, User

    fields = [f.attname for f in User._meta.concrete_fields]
    columns = ", ".join(f'u."{f.column}"' for f in User._meta.concrete_fields)
    sql = (
        f"SELECT t.created, {columns}, ARRAY(SELECT m.agency_id::text || ':' || m.role "
        f"FROM {Membership._meta.db_table} m WHERE m.user_id = u.id) "
        f"FROM {Token._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id WHERE t.key = %s"
    )
    return sql, fields


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>`, same answers and errors; every endpoint then knows the user's
    (agency, role) pairs without another round trip (accounts.scoping.memberships). Building the ORM query
    cost more than running it."""

    def authenticate_credentials(self, key):
        from rest_framework.authtoken.models import Token

        from .models import User
        from .scoping import prime_memberships

        sql, fields = _statement()
        with connection.cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        created, *values, pairs = row
        user = User.from_db(connection.alias, fields, values)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        prime_memberships(user, ((int(a), role) for a, role in (p.split(":", 1) for p in pairs)))
        token = Token(key=key, user=user, created=created)
        token._state.adding, token._state.db = False, connection.alias
        return user, token
