"""Settings, read from the environment (12-factor). Defaults suit a developer machine."""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEV_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "*").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_fsm",
    "csp",
    "axes",
    "accounts",
    "procedures",
    "dossiers",
    "seeds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.staticfiles.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.ChosenLanguageMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.nul.RefuseNulMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: it answers sign-ins that axes just locked
]

# axes first: it refuses a locked sign-in before any password is checked (accounts.lockout).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.oidc.CitizenOIDCBackend",  # citizens, through VNeID; never a staff account
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context.user_roles",
                "dossiers.views.context.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/onestop"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "config.cache.ResilientRedisCache",  # a Redis outage is logged, never raised
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_PREFIX", "onestop"),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Filesystem by default; STORAGE_BACKEND=s3 switches to any S3-compatible store (django-storages).
if os.environ.get("STORAGE_BACKEND", "filesystem") == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", "onestop"),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY"),
            "secret_key": os.environ.get("S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    # Hashed names and .gz/.br variants written by collectstatic (`make run` runs it; the tests in a session
    # fixture): the pages name /static/js/htmx.min.<hash>.js, cached for a year (config.staticfiles).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",  # DRF's, with an expiry
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "config.errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Một cửa API",
    "DESCRIPTION": "Case management for a Public Administration Service Centre (Bộ phận Một cửa).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The dossier's outcome (with its labels) and the resolve action's input share the field name.
    "ENUM_NAME_OVERRIDES": {
        "DossierOutcomeEnum": "dossiers.models.dossier.Outcome",
        "DossierStatusEnum": "dossiers.models.dossier.Status",
        "TicketStatusEnum": "dossiers.models.tickets.Ticket.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.add_error_responses",
    ],
}

# Celery: one Redis broker; tasks are idempotent and acknowledged late.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "onestop")
CELERY_BEAT_SCHEDULE = {
    # Intervals in seconds; tests shorten them through the environment.
    "sweep-deadlines": {
        "task": "dossiers.sweep_deadlines",
        "schedule": float(os.environ.get("SWEEP_INTERVAL", 300)),
    },
    # Results due and not issued (their task lost with the broker, or its worker killed): queued again.
    "sweep-results": {
        "task": "dossiers.sweep_results",
        "schedule": float(os.environ.get("E_RESULT_SWEEP_INTERVAL", 60)),
    },
    "dvcqg-pull": {
        "task": "dossiers.dvcqg_pull",
        "schedule": float(os.environ.get("DVCQG_PULL_INTERVAL", 120)),
    },
    "drain-outbox": {
        "task": "dossiers.drain_outbox",
        "schedule": float(os.environ.get("OUTBOX_DRAIN_INTERVAL", 30)),
    },
    # Dossiers received while the population database was unreachable, checked once it answers again.
    "verify-population": {
        "task": "dossiers.verify_population",
        "schedule": float(os.environ.get("POPULATION_VERIFY_INTERVAL", 120)),
    },
    "daily-digest": {"task": "dossiers.daily_digest", "schedule": crontab(hour=7, minute=30)},
    # The current month's rollups, judged at today: agencies changed since their last rebuild (all of them
    # once a day, when the date moves on).
    "stats-current-month": {
        "task": "dossiers.refresh_current_stats",
        "schedule": float(os.environ.get("STATS_CURRENT_INTERVAL", 60)),
    },
    # Rollups of closed months: nightly for dirty ones, 00:10 on the 1st for the month just closed.
    "stats-rollups": {"task": "dossiers.refresh_stats_rollups", "schedule": crontab(hour=1, minute=0)},
    "stats-rollups-month": {
        "task": "dossiers.refresh_stats_rollups",
        "schedule": crontab(hour=0, minute=10, day_of_month=1),
    },
}

# Office hours and deadline policy (DOMAIN.md), configurable per deployment.
OFFICE_CUTOFF = os.environ.get("OFFICE_CUTOFF", "15:00")
# "same_day": the cut-off moves only same-day procedures (DOMAIN.md); "all": every procedure (some provinces).
OFFICE_CUTOFF_SCOPE = os.environ.get("OFFICE_CUTOFF_SCOPE", "same_day").strip().lower()
if OFFICE_CUTOFF_SCOPE not in ("same_day", "all"):
    raise ImproperlyConfigured("OFFICE_CUTOFF_SCOPE must be same_day or all")
OFFICE_HOURS = os.environ.get("OFFICE_HOURS", "07:00-11:30,13:30-17:00")
SUPPLEMENT_RESPONSE_DAYS = int(os.environ.get("SUPPLEMENT_RESPONSE_DAYS", "30"))
APOLOGY_COUNTS_AS_LATE = env_bool("APOLOGY_COUNTS_AS_LATE", True)

UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Signing: PKCS#12 per agency code. SIGNING_DIR holds {agency code}.p12 made by create_dev_ca in development.
SIGNING_DIR = Path(os.environ.get("SIGNING_DIR", BASE_DIR / "var" / "pki"))
SIGNING_P12_PASSPHRASE = os.environ.get("SIGNING_P12_PASSPHRASE", "onestop-dev")
SIGNING_TRUST_ROOTS = [p for p in os.environ.get("SIGNING_TRUST_ROOTS", "").split(",") if p]

PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
TRACKING_RATE_LIMIT = os.environ.get("TRACKING_RATE_LIMIT", "30/60")  # requests / seconds per client IP
# Sign-in lockout (django-axes, see accounts/lockout.py): this many failures of one username from one client
# address lock that pair for LOGIN_LOCKOUT_SECONDS after the last of them. The pair, not the username alone
# (anyone could keep a clerk out) nor the address alone (a whole office shares one).
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_LOCKOUT_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "config.clientip.client_ip_address"  # X-Forwarded-For only from TRUSTED_PROXIES
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_username"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"  # rows in PostgreSQL: no cache needed
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed sign-in, for the admin
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # trying while locked neither counts nor extends it
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Citizen sign-in: OpenID Connect with VNeID (mozilla-django-oidc; accounts/oidc.py, accounts/citizens.py).
# Authorization code flow with PKCE (S256), state and nonce; the RS256 ID token is checked against the
# provider's JWKS, its issuer and its audience. The defaults point at the local "VNeID (mô phỏng)"
# (seeds/simulators/vneid, started by `make run`). Staff keep their username and password.
VNEID_URL = os.environ.get("VNEID_URL", "http://127.0.0.1:8089").rstrip("/")
OIDC_OP_ISSUER = os.environ.get("VNEID_ISSUER", VNEID_URL)
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("VNEID_AUTHORIZATION_URL", f"{VNEID_URL}/auth")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("VNEID_TOKEN_URL", f"{VNEID_URL}/token")
OIDC_OP_USER_ENDPOINT = os.environ.get("VNEID_USERINFO_URL", f"{VNEID_URL}/me")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("VNEID_JWKS_URL", f"{VNEID_URL}/jwks")
# The provider's end-session endpoint, called on sign-out; empty: sign-out ends the local session only.
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("VNEID_END_SESSION_URL", f"{VNEID_URL}/session/end")
OIDC_RP_CLIENT_ID = os.environ.get("VNEID_CLIENT_ID", "motcua")
OIDC_RP_CLIENT_SECRET = os.environ.get("VNEID_CLIENT_SECRET", "motcua-dev-secret")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid profile phone address"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the end-session call
OIDC_TIMEOUT = float(os.environ.get("VNEID_TIMEOUT", "5"))
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:vneid-callback"
OIDC_CREATE_USER = True
# The claim carrying the 12-digit personal ID (số định danh cá nhân) that keys the citizen's account.
VNEID_ID_CLAIM = os.environ.get("VNEID_ID_CLAIM", "so_dinh_danh")
# Where a citizen lands after signing in (the citizen portal).
CITIZEN_HOME_URL = os.environ.get("CITIZEN_HOME_URL", "/cong-dan/")

# API tokens expire this long after they were issued (a working day); the client then asks for a new one.
API_TOKEN_TTL_SECONDS = int(os.environ.get("API_TOKEN_TTL_SECONDS", str(8 * 3600)))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mot-cua@example.gov.vn")
# The SMS brandname gateway (dossiers.national.sms); dossiers.notify.backends.LogSmsBackend only logs.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "dossiers.national.sms.BrandnameSmsBackend")
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
OUTBOX_BACKOFF_SECONDS = float(os.environ.get("OUTBOX_BACKOFF_SECONDS", "30"))  # wait = base * 2^(attempts-1)
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", "5"))
# How long a drain holds the messages it claimed while it sends them; it sends a message only while half the
# lease is left, so this must be over twice the longest single send (a webhook: connect, write, read).
OUTBOX_LEASE_SECONDS = float(os.environ.get("OUTBOX_LEASE_SECONDS", str(6 * WEBHOOK_TIMEOUT)))

# National platforms (dossiers/national). Each adapter has its own block below with its URL; these are shared.
# A call waits at most NATIONAL_TIMEOUT seconds; after NATIONAL_BREAKER_FAILURES failures in a row the link is
# not tried for NATIONAL_BREAKER_SECONDS (the desk goes on without it) and then tried again.
NATIONAL_TIMEOUT = float(os.environ.get("NATIONAL_TIMEOUT", "3"))
NATIONAL_BREAKER_FAILURES = int(os.environ.get("NATIONAL_BREAKER_FAILURES", "3"))
NATIONAL_BREAKER_SECONDS = float(os.environ.get("NATIONAL_BREAKER_SECONDS", "30"))
# Outbox channels beyond e-mail, SMS and webhooks: channel → the function that sends one message (it raises on
# failure, and the outbox retries with backoff). Each national adapter adds its channel here.
OUTBOX_SENDERS: dict[str, str] = {
    "dvcqg": "dossiers.national.dvcqg.send",
    "emc": "dossiers.national.emc.send",
    "zalo": "dossiers.national.zalo.send",
}

# National Public Service Portal, EMC, Zalo ZNS and SMS brandname (dossiers/national; README "National
# platforms"). The defaults point at the local simulators (seeds/simulators, `make run`): DVCQG 8701,
# EMC 8702, Zalo 8703, SMS brandname 8704 (population data 8705, payment 8793). *_PUSH / *_ENABLED switch
# a link off for a deployment not connected to it: nothing is queued for it then.
DVCQG_URL = os.environ.get("DVCQG_URL", "http://127.0.0.1:8701")
DVCQG_TOKEN = os.environ.get("DVCQG_TOKEN", "dvcqg-dev-token")
DVCQG_PUSH = env_bool("DVCQG_PUSH", True)  # every dossier and progress step to the portal (outbox)
EMC_URL = os.environ.get("EMC_URL", "http://127.0.0.1:8702")
EMC_TOKEN = os.environ.get("EMC_TOKEN", "emc-dev-token")
EMC_PUSH = env_bool("EMC_PUSH", True)  # each status change to EMC (outbox)
ZALO_URL = os.environ.get("ZALO_URL", "http://127.0.0.1:8703")
ZALO_TOKEN = os.environ.get("ZALO_TOKEN", "zalo-dev-token")
ZALO_ENABLED = env_bool("ZALO_ENABLED", True)  # ZNS first, SMS brandname when the phone has no Zalo
SMS_BRANDNAME_URL = os.environ.get("SMS_BRANDNAME_URL", "http://127.0.0.1:8704")
SMS_BRANDNAME_TOKEN = os.environ.get("SMS_BRANDNAME_TOKEN", "sms-dev-token")
SMS_BRANDNAME = os.environ.get(
    "SMS_BRANDNAME", "MOTCUA"
)  # the registered sender name (at most 11 characters)

# Fees paid online through the DVCQG Payment Platform (dossiers/national/payment.py; README "Online payment").
# PAYMENT_URL: the platform (default: the local simulator, `python -m seeds.simulators payment`).
# PAYMENT_MERCHANT_CODE and PAYMENT_SECRET: our merchant code and the secret of the MaXacThuc checksum; the
# development secret is refused with DEBUG off. PAYMENT_RETURN_BASE_URL: our address as the platform reaches
# it, for the payer's way back (/thanh-toan/ket-qua/...) and the confirmation notice (/thanh-toan/thong-bao/).
# Open transactions are re-checked with the platform every PAYMENT_RECHECK_INTERVAL seconds once they are
# PAYMENT_RECHECK_AFTER seconds old; a notice more than PAYMENT_NOTICE_MAX_AGE seconds old is a replay.
DEV_PAYMENT_SECRET = "motcua-dev-payment-secret"
PAYMENT_URL = os.environ.get("PAYMENT_URL", "http://127.0.0.1:8793").rstrip("/")
PAYMENT_MERCHANT_CODE = os.environ.get("PAYMENT_MERCHANT_CODE", "MOTCUA-DEV")
PAYMENT_SECRET = os.environ.get("PAYMENT_SECRET", DEV_PAYMENT_SECRET)
PAYMENT_RETURN_BASE_URL = os.environ.get("PAYMENT_RETURN_BASE_URL", PUBLIC_BASE_URL).rstrip("/")
PAYMENT_RECHECK_INTERVAL = float(os.environ.get("PAYMENT_RECHECK_INTERVAL", "120"))
PAYMENT_RECHECK_AFTER = float(os.environ.get("PAYMENT_RECHECK_AFTER", "60"))
PAYMENT_NOTICE_MAX_AGE = float(os.environ.get("PAYMENT_NOTICE_MAX_AGE", "900"))
CELERY_BEAT_SCHEDULE["recheck-payments"] = {
    "task": "dossiers.recheck_payments",
    "schedule": PAYMENT_RECHECK_INTERVAL,
}

# National population database (dossiers/national/population.py): the desk looks the applicant up by the
# 12-digit ID and prefills the intake form. The call waits at most POPULATION_TIMEOUT seconds (the clerk is
# waiting); its answer is kept POPULATION_CACHE_SECONDS for the intake that follows; beat's check verifies
# the dossiers received without it every POPULATION_VERIFY_INTERVAL seconds, POPULATION_VERIFY_BATCH at a
# time. The default URL is the local simulator (seeds/simulators/population.py).
POPULATION_URL = os.environ.get("POPULATION_URL", "http://127.0.0.1:8705").rstrip("/")
POPULATION_API_KEY = os.environ.get("POPULATION_API_KEY", "dev-population-key")
POPULATION_TIMEOUT = float(os.environ.get("POPULATION_TIMEOUT", "2"))
POPULATION_CACHE_SECONDS = int(os.environ.get("POPULATION_CACHE_SECONDS", "600"))
POPULATION_VERIFY_BATCH = int(os.environ.get("POPULATION_VERIFY_BATCH", "200"))
POPULATION_LOOKUP_RATE_LIMIT = os.environ.get("POPULATION_LOOKUP_RATE_LIMIT", "60/60")  # per staff user
# The link-health page and /healthz call a link degraded while its last failure is this recent.
LINK_RECENT_FAILURE_SECONDS = float(os.environ.get("LINK_RECENT_FAILURE_SECONDS", "900"))

# The electronic result is issued from the database: a resolved dossier is "pending" with a lease, during
# which its queued task is trusted to run. Once the lease has run out without a signed result (the broker
# lost the task, or the worker died in the middle), beat's results sweep queues it again. Far below the
# broker's visibility timeout, so a killed worker's result waits minutes, not an hour.
E_RESULT_LEASE_SECONDS = float(os.environ.get("E_RESULT_LEASE_SECONDS", "300"))

# The desk's tab counts (dossiers.selectors.count_cache): kept this many seconds per user in the cache, and
# dropped at once when a dossier of the user's agencies changes; the time bounds only what the clock alone
# changes (a dossier falling due soon or overdue). 0 counts on every page.
DESK_COUNTS_CACHE_SECONDS = int(os.environ.get("DESK_COUNTS_CACHE_SECONDS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools report every layout step at INFO; keep command output readable.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Production hardening: HTTPS, cookies, the reverse proxy, the Content-Security-Policy (README, "Production").
# With DEBUG off every protection is on unless switched off here; with DEBUG on (a developer machine) the
# site keeps working over plain http on 127.0.0.1.
if not DEBUG:
    # Checked here, so the web server, the Celery worker and manage.py all refuse to start.
    if SECRET_KEY == DEV_SECRET_KEY:
        raise ImproperlyConfigured("DEBUG is false but SECRET_KEY is the development key: set SECRET_KEY.")
    if PAYMENT_SECRET == DEV_PAYMENT_SECRET or not PAYMENT_SECRET:
        raise ImproperlyConfigured("DEBUG is false but PAYMENT_SECRET is the development secret: set it.")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DEBUG is false but ALLOWED_HOSTS is empty or '*': set it to the site's host names."
        )

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain http
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# Opt-in: once browsers ship the domain in their preload list, leaving HTTPS takes months.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = env_bool("SESSION_COOKIE_HTTPONLY", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# No script reads the CSRF cookie: forms carry the token, htmx only sends GETs, and the API docs and the
# browsable API take the token from the page.
CSRF_COOKIE_HTTPONLY = env_bool("CSRF_COOKIE_HTTPONLY", True)


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """'X-Forwarded-Proto,https' or 'HTTP_X_FORWARDED_PROTO,https' -> ('HTTP_X_FORWARDED_PROTO', 'https')."""
    if not value.strip():
        return None
    name, sep, expected = (part.strip() for part in value.partition(","))
    if not sep or not name or not expected:
        raise ImproperlyConfigured(f"SECURE_PROXY_SSL_HEADER must be 'header,value', not {value!r}.")
    name = name.upper().replace("-", "_")
    return (name if name.startswith("HTTP_") else f"HTTP_{name}", expected)


# Only behind a proxy that always sets (never passes on) this header; otherwise a client could claim https.
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ.get("SECURE_PROXY_SSL_HEADER", ""))

# Proxies (addresses or CIDR networks) whose X-Forwarded-For names the client (config.clientip); the rate
# limits and the sign-in lockout key on that client. Empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or a network.") from None

# Every script and style comes from our own static files: no inline code, no inline style attributes
# (htmx's own indicator style is switched off in base.html and lives in app.css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
        **({"report-uri": [os.environ["CSP_REPORT_URI"]]} if os.environ.get("CSP_REPORT_URI") else {}),
    },
}
