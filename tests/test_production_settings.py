"""With DEBUG off the product runs only with real settings, and Django's deployment check finds nothing."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Settings load once per process, so each case runs in a fresh interpreter with its own environment.
OURS = {
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_PROXY_SSL_HEADER",
    "TRUSTED_PROXIES",
    "PAYMENT_SECRET",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' conftest; never in production
}

# The Production section of README.md, as an operator behind a reverse proxy sets it.
PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "motcua.example.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://motcua.example.gov.vn",
    "PUBLIC_BASE_URL": "https://motcua.example.gov.vn",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto,https",
    "TRUSTED_PROXIES": "10.0.0.5",
    "SECURE_HSTS_PRELOAD": "true",
    "PAYMENT_SECRET": "a-secret-shared-with-the-payment-platform",
}


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in OURS}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def production_settings(**env: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "k: getattr(s, k) for k in dir(s) if k.startswith(('SECURE_', 'SESSION_COOKIE', 'CSRF_COOKIE'))}))"
    )
    result = run("-c", code, DJANGO_SETTINGS_MODULE="config.settings", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = run(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "(security.W" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "dev-only-insecure-key-change-me"}, "SECRET_KEY"),
        ({"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        (
            {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "motcua.example.gov.vn,*"},
            "ALLOWED_HOSTS",
        ),
        ({"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        (
            {"SECRET_KEY": secrets.token_urlsafe(50), "PAYMENT_SECRET": "motcua-dev-payment-secret"},
            "PAYMENT_SECRET",
        ),
        ({"SECRET_KEY": secrets.token_urlsafe(50), "PAYMENT_SECRET": ""}, "PAYMENT_SECRET"),
    ],
    ids=[
        "no key",
        "development key",
        "any host",
        "any host among others",
        "no host",
        "development payment secret",
        "no payment secret",
    ],
)
def test_debug_false_refuses_to_start_without_a_real_key_and_host_list(env, says):
    base = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}
    result = run("manage.py", "check", **{**base, "ALLOWED_HOSTS": "motcua.example.gov.vn", **env})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert says in result.stderr.splitlines()[-1]


def test_production_defaults_are_secure_without_further_settings():
    s = production_settings(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="motcua.vn",
        PAYMENT_SECRET="s3cret",
    )

    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] == 31536000
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_HSTS_PRELOAD"] is False  # opt-in: hard to undo
    assert s["SESSION_COOKIE_SECURE"] is s["CSRF_COOKIE_SECURE"] is True
    assert s["SESSION_COOKIE_HTTPONLY"] is s["CSRF_COOKIE_HTTPONLY"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] is None  # only when a proxy is declared


def test_development_keeps_plain_http():
    s = production_settings()

    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SECURE_HSTS_SECONDS"] == 0
    assert s["SESSION_COOKIE_SECURE"] is s["CSRF_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    ("value", "header"),
    [
        ("X-Forwarded-Proto,https", ["HTTP_X_FORWARDED_PROTO", "https"]),
        ("HTTP_X_FORWARDED_PROTO, https", ["HTTP_X_FORWARDED_PROTO", "https"]),
        ("x-forwarded-ssl,on", ["HTTP_X_FORWARDED_SSL", "on"]),
    ],
)
def test_the_proxy_ssl_header_is_read_as_header_name_and_value(value, header):
    assert production_settings(SECURE_PROXY_SSL_HEADER=value)["SECURE_PROXY_SSL_HEADER"] == header


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}, "SECURE_PROXY_SSL_HEADER"),
        ({"TRUSTED_PROXIES": "10.0.0.5,proxy.local"}, "TRUSTED_PROXIES"),
    ],
)
def test_malformed_proxy_settings_refuse_to_start(env, says):
    result = run("manage.py", "check", **env)

    assert result.returncode != 0
    assert says in result.stderr.splitlines()[-1]


def test_the_benchmark_server_environment_starts():
    from tests.bench.http_load import bench_env

    env = {k: v for k, v in bench_env().items() if k in OURS}
    result = run("manage.py", "check", **env)

    assert result.returncode == 0, result.stderr
