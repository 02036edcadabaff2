"""Bokbro settings: one module, configured by environment variables.

The defaults give a working SQLite demo on 127.0.0.1; production sets the variables documented
in docs/operations.md (DATABASE_URL, SECRET_KEY or SECRET_KEY_FILE, ALLOWED_HOSTS, EMAIL_*).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_str(name: str, default: str = "") -> str:
    """A string from the environment; NAME_FILE (a path) wins so secrets can live in files."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_rate(name: str, default: str) -> str:
    """A rate limit, "count/seconds" ("30/600"), or "0"/"off"; anything else stops the start."""
    value = env_str(name, default).strip()
    parts = value.split("/")
    if value not in ("", "0", "off") and not (
        len(parts) == 2 and all(part.isdigit() and int(part) > 0 for part in parts)
    ):
        raise ValueError(f'{name}: "{value}" is not a rate; write e.g. "30/600"')
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("BOKBRO_TESTING", False)

# The demo key is only for the local SQLite demo; check --deploy rejects it in production.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-bokbro-demo-key-change-me")

# ".testserver" lets tests reach each agency on its own host (jonkoping.testserver).
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", ".localhost", ".testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_ROOT = env_str("SITE_ROOT", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # Bokbro's apps in dependency order: each imports only those before it (a test holds it);
    # their periodic work and demo content run in this order (bokbro/core/modules.py).
    "bokbro.core",
    "bokbro.directory",
    "bokbro.accounts",
    "bokbro.plans",
    "bokbro.reports",
    "bokbro.events",
    "bokbro.advisory",
    "bokbro.projects",
    "bokbro.newsletter",
    "bokbro.classsets",
    "bokbro.mobile",
    "bokbro.networks",
    "bokbro.competence",
    "bokbro.publications",
    "bokbro.shadowing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bokbro.directory.middleware.AgencyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bokbro.core.middleware.LanguageMiddleware",
    "bokbro.core.middleware.NulPathMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "bokbro.urls"
WSGI_APPLICATION = "bokbro.wsgi.application"

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
                "bokbro.core.context_processors.bokbro",
                "bokbro.directory.context_processors.agency",
            ],
            # `{% url %}` that remembers its answers (see the module).
            "builtins": ["bokbro.core.templatetags.remembered_url"],
        },
    },
]

FORM_RENDERER = "bokbro.core.forms.FormRenderer"
# Messages live in the session: the site sets no cookies but csrftoken, session and language.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Database ---------------------------------------------------------------------------------
DATA_DIR = Path(env_str("BOKBRO_DATA_DIR", str(PROJECT_DIR / "var")))
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'bokbro.sqlite3'}")
if DATABASE_URL.startswith("sqlite:///") and not TESTING:
    Path(DATABASE_URL.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
# Connections are kept open between requests (one per web thread), checked before reuse:
# opening a PostgreSQL connection per request cost more than a whole registration
# (docs/performance.md). CONN_MAX_AGE=0 closes each after its request.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a transaction that will write takes the write lock at BEGIN, so two writers
    # queue on the lock instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME", "") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# With REDIS_URL every web process shares one cache (the anonymous calendar pages, the agency
# for a host); without it each process has its own memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("REDIS_URL"),
    }
    if env_str("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}

# --- Accounts and sign-in ------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:me"
LOGOUT_REDIRECT_URL = "core:home"
ACCOUNT_ADAPTER = "bokbro.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 900
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {} if TESTING else {"login_failed": "10/m/ip,5/5m/key"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Bokbro"
SOCIALACCOUNT_PROVIDERS: dict = {}  # OpenID Connect (ID-porten, Feide, Freja …) per install
SOCIALACCOUNT_ONLY = False

PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if TESTING
    else [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ]
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages ---------------------------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("sv", "Svenska"),
    ("en", "English"),
]
LANGUAGE_NAMES = {
    "nb": _("Norwegian bokmål"),
    "nn": _("Norwegian nynorsk"),
    "sv": _("Swedish"),
    "en": _("English"),
}
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "bokbro_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = env_str("TIME_ZONE", "Europe/Oslo")
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(PROJECT_DIR / "staticfiles")))
NODE_MODULES = PROJECT_DIR / "node_modules"
VENDOR_STATIC = [
    ("vendor/designsystemet", NODE_MODULES / "@digdir" / "designsystemet-css" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
]
# bokbro/static holds the layout's own CSS and JavaScript; the project package is not an app.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    *[(prefix, path) for prefix, path in VENDOR_STATIC if path.exists()],
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG and not TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Look files up per request instead of indexing thousands at start-up: every test client
# starts the middleware anew, and the index made each one cost 0.15 s.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# --- JSON API ----------------------------------------------------------------------------------
# A page of the API holds at most this many rows; ?limit= above it is refused with a reason.
NINJA_PAGINATION_MAX_LIMIT = 500

# --- Rate limits (core/ratelimits.py; docs/operations.md) --------------------------------------
# Registrations for events (the web form and the API) per client address, "count/seconds";
# "0" turns a limit off. Counted in the database, so they hold across every web process.
REGISTRATION_RATE_PER_CLIENT = env_rate("REGISTRATION_RATE_PER_CLIENT", "30/600")
REGISTRATION_RATE_PER_CLIENT_AND_EVENT = env_rate(
    "REGISTRATION_RATE_PER_CLIENT_AND_EVENT", "10/3600"
)
# Mails that forms anyone can fill in (registration, class-set booking, newsletter sign-up) send
# to the address typed, per address and from every client together: beyond it the form is
# refused, so it cannot be used to flood someone's mailbox.
MAIL_RATE_PER_ADDRESS = env_rate("MAIL_RATE_PER_ADDRESS", "10/3600")

# --- Directory -----------------------------------------------------------------------------------
# A request to be listed as a library's staff (someone who named the library when registering
# without an account) lapses, with the name and address it holds, when no one has answered it
# within this many days (directory/periodic.py).
PENDING_COLLEAGUE_DAYS = env_int("PENDING_COLLEAGUE_DAYS", 30)

# --- Class sets ----------------------------------------------------------------------------------
# How long a teacher's name and address stay on a class-set booking after its loan ended (or
# after it was made, when it was cancelled or not confirmed in time): classsets/privacy.py.
CLASSSETS_CONTACT_KEEP_DAYS = env_int("CLASSSETS_CONTACT_KEEP_DAYS", 180)

# --- Mobile library map ------------------------------------------------------------------------
# A map tile server's URL template ({z}, {x}, {y}) for the map of the mobile library's stops, and
# its attribution. Unset (the default): no map, only the timetable list.
MOBILE_MAP_TILES = env_str("MOBILE_MAP_TILES")
MOBILE_MAP_ATTRIBUTION = env_str("MOBILE_MAP_ATTRIBUTION", "© OpenStreetMap contributors")

# --- Email -------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Bokbro <noreply@bokbro.localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Background tasks --------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default", "email"],
    }
}
# How long the task queue keeps what it ran (core/housekeeping.py, run by `bokbro periodic`): a
# finished task's row for this many days, a failed one's (with its traceback) longer, so an
# operator can look into it. A message whose delivery failed is deleted with it.
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 3)
TASK_FAILURES_KEEP_DAYS = env_int("TASK_FAILURES_KEEP_DAYS", 21)

# --- Security ----------------------------------------------------------------------------------
# HTTPS=true for production behind TLS: secure cookies, redirect to https, HSTS for a year.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
# The proxy's X-Forwarded-For then names the client (its last address) for the rate limits.
BEHIND_PROXY = env_bool("BEHIND_PROXY", HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", [])

# Strict Content-Security-Policy: our own files only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": [
            "'self'",
            "data:",
            # The map tiles' server, where one is configured.
            *(["/".join(MOBILE_MAP_TILES.split("/")[:3])] if MOBILE_MAP_TILES else []),
        ],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refused_one_line": {"()": "bokbro.core.logging.RefusedOneLine"}},
    # The handler's level too: Django's own loggers ("django" at INFO) pass their records to
    # it whatever the root's level, so LOG_LEVEL=ERROR would still print every 404's warning.
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["refused_one_line"],
            "level": env_str("LOG_LEVEL", "WARNING"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- Bokbro ------------------------------------------------------------------------------------
BOKBRO_DIRECTORY_DATA = BASE_DIR / "directory" / "data"
BOKBRO_DEFAULT_AGENCY = env_str("BOKBRO_DEFAULT_AGENCY", "")

# --- Newsletter (bokbro/newsletter, docs/newsletter.md) -----------------------------------------
# Messages per minute an issue is sent at, at most, shared among its connections (0: as fast as
# the SMTP server takes them).
NEWSLETTER_RATE_PER_MINUTE = env_int("NEWSLETTER_RATE_PER_MINUTE", 600)
# Seconds a sending loop holds its claimed rows without renewing (it renews every second while
# it lives): a killed worker's rows are sent by another this long after it died.
NEWSLETTER_LEASE_SECONDS = env_int("NEWSLETTER_LEASE_SECONDS", 5)
# Deliveries claimed and sent over one SMTP connection at a time.
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 50)
# SMTP connections an issue is sent over at once: one sending task each, run by as many task
# workers as are free (PostgreSQL; SQLite: one). Ask the relay how many it allows.
NEWSLETTER_CONNECTIONS = env_int("NEWSLETTER_CONNECTIONS", 4)
# Largest image an editor may upload to an issue, in bytes.
NEWSLETTER_MAX_IMAGE_BYTES = env_int("NEWSLETTER_MAX_IMAGE_BYTES", 2 * 1024 * 1024)
# Per-agency SMTP relays, {variable: URL}: BOKBRO_SMTP_<AGENCY_SLUG>=smtp+starttls://user:pass@host:587
# (or BOKBRO_SMTP_<AGENCY_SLUG>_FILE). Checked at start; see bokbro/newsletter/relays.py.
NEWSLETTER_SMTP_RELAYS = {
    name.removesuffix("_FILE"): env_str(name.removesuffix("_FILE"))
    for name in sorted(os.environ)
    if name.startswith("BOKBRO_SMTP_")
}

# --- Competence (bokbro/competence, docs/competence.md) -----------------------------------------
# The smallest group of respondents whose answers a breakdown or an export shows on its own.
COMPETENCE_MIN_GROUP = env_int("COMPETENCE_MIN_GROUP", 5)
# Days after the invitations (or the event's last session) before the one reminder goes out.
COMPETENCE_REMINDER_DAYS = env_int("COMPETENCE_REMINDER_DAYS", 7)
