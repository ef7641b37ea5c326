"""Settings of Le logement toujours, in one module, read from the environment.

Every value has a safe default for the embedded mode (SQLite, a broker that needs no
server, demo data). With PRODUCTION=true, unsafe defaults are refused at start.
"""

import os
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

_EMBEDDED_SECRET_KEY = "embedded-insecure-key-for-local-use-only"


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = env_str("SECRET_KEY", _EMBEDDED_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

if PRODUCTION:
    if SECRET_KEY == _EMBEDDED_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("PRODUCTION needs a real SECRET_KEY of 50 characters or more")
    if DEBUG:
        raise ImproperlyConfigured("PRODUCTION refuses DEBUG=true")
    if "DATABASE_URL" not in os.environ:
        raise ImproperlyConfigured("PRODUCTION needs DATABASE_URL (PostgreSQL)")
    if "REDIS_URL" not in os.environ:
        raise ImproperlyConfigured("PRODUCTION needs REDIS_URL (the Celery broker)")
    if not os.environ.get("SITE_URL", "").startswith("https://"):
        raise ImproperlyConfigured(
            "PRODUCTION needs SITE_URL, the https:// address of the application (invitation "
            "and password links in e-mails)"
        )

INSTALLED_APPS = [
    # Django's admin, asking for the second factor and our login page (partners/admin_site.py).
    "partners.apps.SecureAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.humanize",
    "guardian",
    "simple_history",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # The project's apps, from the bottom layer up (docs/architecture.md).
    "core",
    "partners",
    "households",
    "codecision",
    "actions",
    "documents",
    "cases",
    "notifications",
    "funding",
    "stats",
    "logement_toujours",
]

MIDDLEWARE = [
    # First: the health check answers even when sessions or the database fail.
    "logement_toujours.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "partners.middleware.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "partners.middleware.SecondFactorMiddleware",
    # A form or API call sent twice creates once (a one-time token, or Idempotency-Key).
    "core.idempotency.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "partners.middleware.PrivateResponseMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.TooManyAttemptsMiddleware",
    # A NUL byte in a query string or a form is refused (400) before any view or query.
    "core.middleware.NulByteMiddleware",
    # Last, as django-axes asks: turns a lockout into the login page's French message.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # gunicorn serves the collected static files itself; runserver does it in embedded mode.
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "logement_toujours.urls"
WSGI_APPLICATION = "logement_toujours.wsgi.application"

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
                "notifications.views.unread_count",
                "logement_toujours.context_processors.can",
            ],
            # {% submit_token %} in every form (templates/_form_fields.html).
            "builtins": ["core.templatetags.submit_token"],
        },
    },
]

# Form widgets are drawn from the project's templates first: a select's empty choice says
# « Choisir… » rather than Django's untranslated dashes (templates/django/forms/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Embedded mode: a SQLite file under var/ (git-ignored). Production: DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        # A connection per request costs more than the request on a small server: kept for
        # a minute, checked before reuse so that a restarted database is not an error page.
        # (The test runner closes its own connections.)
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Statistics, reports and exports read from `replica` (core.replica): a PostgreSQL streaming
# replica when DATABASE_REPLICA_URL names one, the same database otherwise. Tests mirror it.
DATABASES["replica"] = {
    **dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL", "")
        or env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    ),
    "TEST": {"MIRROR": "default"},
}
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
READ_REPLICA = env_bool("READ_REPLICA", bool(env_str("DATABASE_REPLICA_URL", "")))
# The embedded SQLite holds about ten people writing at once: WAL (readers never block the
# writer), a busy wait instead of « database is locked » at once, and transactions that take
# the write lock when they begin (no deadlock when two readers both start writing).
SQLITE_BUSY_TIMEOUT_SECONDS = env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20)
SQLITE_OPTIONS = {
    "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
for _alias in ("default", "replica"):
    if DATABASES[_alias]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES[_alias].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Pages read a few dozen rows: starting parallel workers costs more than it saves on a
    # small server (measured by `make bench`). Reports may raise it.
    # The planner's price of a random read: PostgreSQL's default (4) is for spinning disks;
    # on SSDs or a database held in memory, 1.1 lets it walk a partner's permission rows
    # through the households' primary key instead of scanning every household.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={env_int('DATABASE_PARALLEL_WORKERS', 0)} "
        f"-c random_page_cost={float(env_str('DATABASE_RANDOM_PAGE_COST', '1.1'))}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    # First: a locked-out user or address is refused before any password is hashed.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Object permissions are granted to partner groups only (docs/DESIGN.md section 5).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# 12 characters at least, as the CNIL recommends for a password alone.
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 12)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Each role lands on a page it may read (partners/views.py, home).
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# --- Documents of the case files (documents/) ---

# Where the files are kept: under var/documents by default (never under a URL the web server
# serves: they leave only through documents.views.document_download); in an S3-compatible
# bucket when DOCUMENTS_S3_BUCKET is set (django-storages). The bucket's own encryption at
# rest should be on; each object is also sent with DOCUMENTS_S3_ENCRYPTION (server-side
# encryption, "AES256" or "aws:kms"; empty for a server without it).
DOCUMENTS_DIR = Path(os.environ.get("DOCUMENTS_DIR", VAR_DIR / "documents"))
DOCUMENTS_S3_BUCKET = env_str("DOCUMENTS_S3_BUCKET", "")
DOCUMENTS_S3_ENCRYPTION = env_str("DOCUMENTS_S3_ENCRYPTION", "AES256")
if DOCUMENTS_S3_BUCKET:
    DOCUMENTS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DOCUMENTS_S3_BUCKET,
            "endpoint_url": env_str("DOCUMENTS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("DOCUMENTS_S3_REGION", "") or None,
            "access_key": env_str("DOCUMENTS_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("DOCUMENTS_S3_SECRET_ACCESS_KEY", "") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": (
                {"ServerSideEncryption": DOCUMENTS_S3_ENCRYPTION} if DOCUMENTS_S3_ENCRYPTION else {}
            ),
        },
    }
else:
    DOCUMENTS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DOCUMENTS_DIR), "base_url": None},
    }
# A file larger than this (in megabytes) is refused while it streams in.
DOCUMENTS_MAX_UPLOAD_MB = env_int("DOCUMENTS_MAX_UPLOAD_MB", 15)
# A deleted document is kept (hidden) this many days, then purged with its files at night.
DOCUMENTS_DELETED_KEEP_DAYS = env_int("DOCUMENTS_DELETED_KEEP_DAYS", 30)
# clamd's socket (a path, or host:port): every file is scanned first when it is set; a file
# found infected, or clamd not answering, refuses the upload.
DOCUMENTS_CLAMD = env_str("DOCUMENTS_CLAMD", "")
DOCUMENTS_CLAMD_TIMEOUT = env_int("DOCUMENTS_CLAMD_TIMEOUT", 30)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": DOCUMENTS_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Security: on by default in production, checked by `manage.py check --deploy`.
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
# A session ends 8 hours after login whatever happens (absolute), and after 30 minutes
# without a request (idle): partners/middleware.py.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# No script but our own files (no inline script, no eval), styles and images from us only
# (images also as data: URLs, for Swagger UI's icons), no plugin, no framing, forms post
# to us only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Powerful browser features the application never uses are switched off.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# The admin's history pages show past versions; none is restored from there.
SIMPLE_HISTORY_REVERT_DISABLED = True
# A change reason is kept whole, however long the comment it quotes (core.text).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Accounts: second factor, lockout, invitations, API tokens (partners/) ---

# A second factor (TOTP app, or a single-use recovery code) is always asked of coordinators
# and of anyone who reaches the admin; of everyone when this is true.
SECOND_FACTOR_REQUIRED_FOR_ALL = env_bool("SECOND_FACTOR_REQUIRED_FOR_ALL", False)
OTP_TOTP_ISSUER = "Le logement toujours"
# After a wrong code, the next try waits 1, 2, 4… seconds.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
SECOND_FACTOR_RECOVERY_CODES = 10
# Failed logins (login page, admin, API tokens) lock the identifiant and, separately, the
# address they come from after LOGIN_FAILURE_LIMIT failures, for LOGIN_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = "partners.security.lockout_parameters"
AXES_RESET_ON_SUCCESS = True
# A try while locked is refused without being counted, so the lock ends when announced.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "partners.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "partners.security.client_ip"
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# How many reverse proxies (load balancer, TLS terminator) stand before gunicorn: the client's
# address is read that many hops from the end of X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0)
# The security log (logins, failures, lockouts, tokens) is kept this long.
SECURITY_LOG_RETENTION_DAYS = env_int("SECURITY_LOG_RETENTION_DAYS", 365)
# An invitation link, and a password reset link, stay valid this long (one use).
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_MINUTES", 60) * 60
# Personal API tokens expire after this many days unless their owner chooses otherwise.
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", 90)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Le logement toujours <noreply@localhost>")

# Celery: Redis in production and CI; a filesystem broker that needs no server otherwise.
REDIS_URL = os.environ.get("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
# No request waits on the broker longer than this, in seconds: connecting, writing and reading
# are each bounded (a Redis that is alive but frozen answers nothing). What could not be sent
# stays in the outbox (core.outbox) and is sent by the relay.
BROKER_TIMEOUT_SECONDS = float(env_str("BROKER_TIMEOUT_SECONDS", "1"))
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "socket_timeout": BROKER_TIMEOUT_SECONDS,
        "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
        # A task a worker took but never finished (killed) is delivered again after this.
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    }
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "broker"),
        "data_folder_out": str(VAR_DIR / "broker"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
)
CELERY_TASK_IGNORE_RESULT = True
# Queues by kind, each served by its own worker pool (docker-compose.yml: worker-notices,
# worker-emails, worker-exports, worker-nightly), so that a long PDF or the nightly purge
# never holds up a notice: `notices` the interactive notices and the outbox relay, `emails`
# every e-mail, `exports` PDFs and reports, `nightly` the daily sweep and the purges. Every
# task of the applications is listed (tests/test_task_queues.py); one that was not would go
# to `celery` (the default queue, served by worker-notices too).
CELERY_TASK_DEFAULT_QUEUE = "celery"
# Every queue declared: a worker started without --queues (`make run`, the embedded mode)
# serves them all; the production pools each name theirs.
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "notices", "emails", "exports", "nightly")]
CELERY_TASK_ROUTES = {
    "notifications.tasks.notify_codecision_opened": {"queue": "notices"},
    "notifications.tasks.deliver_notices": {"queue": "notices"},
    "core.tasks.outbox_relay": {"queue": "notices"},
    "notifications.tasks.send_immediate_emails": {"queue": "emails"},
    "notifications.tasks.send_daily_digests": {"queue": "emails"},
    "notifications.tasks.email_catch_up": {"queue": "emails"},
    "cases.tasks.render_summary": {"queue": "exports"},
    "stats.tasks.*": {"queue": "exports"},
    "notifications.tasks.daily_sweep": {"queue": "nightly"},
    "notifications.tasks.purge_read_notifications": {"queue": "nightly"},
    "cases.tasks.nightly_privacy": {"queue": "nightly"},
    "cases.tasks.forget_old_summaries": {"queue": "nightly"},
    "documents.tasks.*": {"queue": "nightly"},
    "partners.tasks.*": {"queue": "nightly"},
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task is acknowledged once done, not on receipt: a worker killed mid-task leaves it to be
# delivered again (every task is idempotent), and a worker takes one task at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# The cache holds the API's rate counters: shared through Redis in production, in the
# process otherwise. Like the broker, a Redis that is down or frozen costs a request at most
# BROKER_TIMEOUT_SECONDS (connect, read and write), and the counters then let it through
# (partners.authentication.TokenRateThrottle).
# How many of the household page's kept pieces a web process holds (two per case read), and
# for how long at most (cases.kept).
CASE_PAGE_CACHE_ENTRIES = env_int("CASE_PAGE_CACHE_ENTRIES", 2000)
CASE_PAGE_CACHE_SECONDS = env_int("CASE_PAGE_CACHE_SECONDS", 600)
# « Mes ménages »' referent filter offers the referents of the caseload's active measures as
# read at most this many seconds ago (a referent named since is offered after that time).
REFERENT_CHOICES_SECONDS = env_int("REFERENT_CHOICES_SECONDS", 120)

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_timeout": BROKER_TIMEOUT_SECONDS,
                "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Pieces of pages kept in each web process's memory, so that nothing of a case leaves the
    # process: the household page's history, workflow and involvements per state of the case
    # (cases.kept), « Mes ménages »' referent choices (cases.caseload.referent_choices).
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": CASE_PAGE_CACHE_ENTRIES},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports each rendering step at INFO, django-axes each login.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- Programme rules (docs/DOMAIN_RULES.md): named, dated settings, defaults as the law says ---

# Access logs are kept 1 year by default (docs/DOMAIN_RULES.md, personal data).
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 365)
# A case with no open action is anonymised this long after its last activity: 2 years by
# default once it had actions (after closure), and 2 years when it never had one.
ANONYMISE_AFTER_CLOSURE_DAYS = env_int("ANONYMISE_AFTER_CLOSURE_DAYS", 730)
ANONYMISE_INACTIVE_AFTER_DAYS = env_int("ANONYMISE_INACTIVE_AFTER_DAYS", 730)
# A user refused this many times in the last minute (a household or record outside its
# scope) gets 429 for further refusals, counted in one access-log entry a minute.
ACCESS_REFUSALS_PER_MINUTE = env_int("ACCESS_REFUSALS_PER_MINUTE", 30)
# A partner whose orientation, co-decision or measure ended (refused, cancelled, closed) keeps
# read-only access to the household this many days, then none (households.involvement).
INVOLVEMENT_GRACE_DAYS = env_int("INVOLVEMENT_GRACE_DAYS", 30)
# Duplicate detection before a case file is opened (households.duplicates): a file is similar
# when a name (the household's, a member's last name) reaches this trigram similarity
# (pg_trgm, 0 to 1, accents and case aside: « Martin » / « Martins » 0.67, « Dupont » /
# « Dupond » 0.56, « Martin » / « Martel » 0.4) and a birth date, the tenant number or an
# address agrees; an address agrees from this similarity, with the same street numbers.
DUPLICATE_NAME_SIMILARITY = float(env_str("DUPLICATE_NAME_SIMILARITY", "0.5"))
DUPLICATE_ADDRESS_SIMILARITY = float(env_str("DUPLICATE_ADDRESS_SIMILARITY", "0.6"))

# Eviction procedure (docs/DOMAIN_RULES.md). Each delay is a named setting; where the law changed
# it, the date its value applies from is a setting too.
# Social landlords refer to the CCAPEX at least 2 months before a summons.
CCAPEX_REFERRAL_MONTHS_BEFORE_SUMMONS = 2
# Payment order: 6 weeks for leases signed from 29 July 2023 (law of 27 July 2023), 2 months
# for older leases.
PAYMENT_ORDER_SHORT_DELAY_FROM = date(2023, 7, 29)
PAYMENT_ORDER_DELAY_WEEKS = 6
PAYMENT_ORDER_DELAY_MONTHS_OLD_LEASES = 2
# The summons is notified to the prefect at least 6 weeks before the hearing.
SUMMONS_NOTICE_WEEKS_BEFORE_HEARING = 6
# Social and financial diagnostic: interview within 15 working days, sent to the judge at
# least 5 working days before the hearing.
DSF_INTERVIEW_WITHIN_WORKING_DAYS = 15
DSF_TO_JUDGE_WORKING_DAYS_BEFORE_HEARING = 5
# Appeal runs from the service (signification) of the decision (art. 528 CPC): 1 month for a
# judgement on the merits, 15 days for a référé order (art. 490 CPC).
APPEAL_DELAY_MONTHS = 1
APPEAL_DELAY_DAYS_REFERE = 15
# Payment plan the judge may grant, suspending the termination: up to 3 years (law of 6 July
# 1989, art. 24, as changed by the law of 27 July 2023).
PAYMENT_PLAN_MAX_MONTHS = 36
# Grace periods before an eviction (L412-3 and L412-4 CPCE): 1 month to 1 year for decisions
# from 29 July 2023 (law of 27 July 2023), 3 months to 3 years before.
GRACE_PERIOD_RULES = [
    {"applies_from": date(2023, 7, 29), "min_months": 1, "max_months": 12},
    {"applies_from": date(1991, 7, 9), "min_months": 3, "max_months": 36},
]
# Order to leave: 2 months, to which the judge may add up to 3.
ORDER_TO_LEAVE_DELAY_MONTHS = 2
ORDER_TO_LEAVE_MAX_EXTRA_MONTHS = 3
# The prefect has 2 months to answer a request for police assistance.
POLICE_ASSISTANCE_ANSWER_MONTHS = 2
# Winter truce, no forced eviction: from 1 November to 31 March since the ALUR law of 24 March
# 2014 (to 15 March before). Each rule: from which truce end it applies, start and end.
WINTER_TRUCE_RULES = [
    {"applies_from": date(2014, 3, 27), "start": (11, 1), "end": (3, 31)},
    {"applies_from": date(1956, 12, 3), "start": (11, 1), "end": (3, 15)},
]
# Truce on energy cut-offs (L115-3 CASF): no cut-off of a main home's electricity, gas or heat
# for unpaid bills from 1 November to 31 March.
ENERGY_CUT_OFF_TRUCE_START = (11, 1)
ENERGY_CUT_OFF_TRUCE_END = (3, 31)
# Truces extended by law during the health emergency: the year the truce ended → its end
# (ordinance of 25 March 2020 and law of 11 May 2020; ordinance of 10 February 2021).
WINTER_TRUCE_EXTENDED_ENDS = {2020: date(2020, 7, 10), 2021: date(2021, 5, 31)}
# Working days are Monday to Friday except public holidays: fixed ones (month, day) and
# those counted from Easter Sunday (Easter Monday, Ascension, Whit Monday).
PUBLIC_HOLIDAYS_FIXED = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
PUBLIC_HOLIDAYS_DAYS_AFTER_EASTER = [1, 39, 50]

# Sliding lease (docs/DOMAIN_RULES.md): the household's capacity is reviewed every 6 months from
# the sublease signature; the landlord answers 2 months before a review period ends.
SLIDING_LEASE_REVIEW_MONTHS = 6
SLIDING_LEASE_LANDLORD_ANSWER_MONTHS_BEFORE = 2

# Figures of a diagnostic highlighted past these thresholds, in % (docs/DOMAIN_RULES.md,
# « Figures computed from a diagnostic »): landlords look for an effort rate of 30 % or less;
# an energy effort rate above 10 % is the usual energy-poverty threshold.
DIAGNOSTIC_EFFORT_RATE_THRESHOLD = 30
DIAGNOSTIC_ENERGY_EFFORT_RATE_THRESHOLD = 10

# Support measures: 6 months, renewable once (a local rule of the programme).
MEASURE_DURATION_MONTHS = 6
MEASURE_MAX_RENEWALS = 1
# A measure starts at the earliest on its co-decision's opening day, at the latest this many
# days after both sides approved (actions.services.measure_check_start).
MEASURE_START_MAX_DELAY_DAYS = env_int("MEASURE_START_MAX_DELAY_DAYS", 90)
# Years whose accounts the coordination has closed (comma-separated, e.g. "2023,2024"): no
# measure starts in them and no rent reduction falls in them.
BUDGET_CLOSED_YEARS = [int(year) for year in env_list("BUDGET_CLOSED_YEARS", "")]
# A rent reduction is at most this many euros a month.
RENT_REDUCTION_MAX_MONTHLY = env_int("RENT_REDUCTION_MAX_MONTHLY", 500)
# A date a user types lies between this many years ago and this many years ahead (core.dates);
# fields about older facts (a lease signed long ago) say their own window.
DATES_PAST_YEARS = env_int("DATES_PAST_YEARS", 10)
DATES_FUTURE_YEARS = env_int("DATES_FUTURE_YEARS", 2)

HOUSEHOLDS_PER_PAGE = 50
# The PDF case summary (cases.exports): rendered by a task on the `exports` queue, kept in
# SUMMARY_CACHE_DIR (shared by the web and the exports worker) for SUMMARY_CACHE_HOURS; a
# rendering not finished after SUMMARY_RENDER_TIMEOUT_SECONDS is asked for again. Its
# journal lists the SUMMARY_JOURNAL_MAX latest follow-ups; the full journal is its own export.
SUMMARY_CACHE_DIR = env_str("SUMMARY_CACHE_DIR", str(VAR_DIR / "summaries"))
SUMMARY_CACHE_HOURS = env_int("SUMMARY_CACHE_HOURS", 24)
SUMMARY_RENDER_TIMEOUT_SECONDS = env_int("SUMMARY_RENDER_TIMEOUT_SECONDS", 120)
SUMMARY_JOURNAL_MAX = env_int("SUMMARY_JOURNAL_MAX", 60)
# Lists count their rows exactly up to this many, and say « plus de 1 000 » beyond
# (cases.caseload, the measures page): counting a whole programme costs what the page doesn't.
CASELOAD_COUNT_CAP = env_int("CASELOAD_COUNT_CAP", 1000)
# The demo logins' password is published in the README: `load_demo` refuses it in production.
PUBLISHED_DEMO_PASSWORD = "logement-demo-2026"
DEMO_PASSWORD = env_str("DEMO_PASSWORD", PUBLISHED_DEMO_PASSWORD)
# The demo coordinators' second factor (TOTP, base32, also published): an authenticator app
# given this key shows their codes. Never loaded in production.
DEMO_TOTP_SECRET = "LOGEMENTTOUJOURSDEMONSTRATION234"

# --- Reminders and notifications (notifications/, */tasks.py) ---

# The address of the application, for links in e-mails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# A co-decision that waits longer than this for a partner's answer is reminded to it.
REMINDER_CODECISION_WAIT_DAYS = env_int("REMINDER_CODECISION_WAIT_DAYS", 7)
# An active measure with no follow-up for this long is reminded to its referent.
REMINDER_NO_FOLLOW_UP_DAYS = env_int("REMINDER_NO_FOLLOW_UP_DAYS", 30)
# A measure's end is reminded this many days before (referent and coordinators).
REMINDER_MEASURE_END_DAYS = [30, 7]
# A hearing is reminded 15 days before; other legal deadlines this many days before.
REMINDER_HEARING_DAYS = 15
REMINDER_LEGAL_DEADLINE_DAYS = 7
# The end of the winter truce after an eviction judgement, and a sliding lease's review.
REMINDER_TRUCE_END_DAYS = 30
REMINDER_LEASE_REVIEW_DAYS = 30
# A follow-up's dated next step is reminded to its author (and the measure's referent) this
# many days before its date, once.
REMINDER_NEXT_STEP_DAYS = env_int("REMINDER_NEXT_STEP_DAYS", 1)
# « Mes échéances » (cases.agenda) and its calendar feed: items shown per group (overdue,
# today, this week, later) before the page asks to filter; items the feed carries, from
# AGENDA_FEED_PAST_DAYS ago; appointments listed on a household's page.
AGENDA_GROUP_LIMIT = 200
AGENDA_FEED_LIMIT = 2000
AGENDA_FEED_PAST_DAYS = 90
# An appointment without a planned duration lasts this long in the calendar feed.
AGENDA_APPOINTMENT_DEFAULT_MINUTES = 60
HOUSEHOLD_APPOINTMENTS_SHOWN = 50
# The household and measure pages show the latest follow-ups, the whole journal one link away
# (« Afficher les N suivis », and the journal as a spreadsheet).
FOLLOW_UPS_SHOWN = env_int("FOLLOW_UPS_SHOWN", 30)
# The household page shows the latest events of the case's history, the rest one link away.
HISTORY_SHOWN = env_int("HISTORY_SHOWN", 40)
# A notification read this many days ago is deleted by the nightly purge
# (notifications.tasks.purge_read_notifications); unread ones are kept.
NOTIFICATIONS_READ_RETENTION_DAYS = env_int("NOTIFICATIONS_READ_RETENTION_DAYS", 90)
# When the daily sweep and the daily digest run (local time).
REMINDER_SWEEP_HOUR = env_int("REMINDER_SWEEP_HOUR", 6)
DIGEST_HOUR = env_int("DIGEST_HOUR", 7)
CELERY_BEAT_SCHEDULE = {
    "daily-reminder-sweep": {
        "task": "notifications.tasks.daily_sweep",
        "schedule": crontab(hour=REMINDER_SWEEP_HOUR, minute=0),
    },
    "daily-digest": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=DIGEST_HOUR, minute=0),
    },
    "nightly-privacy": {
        "task": "cases.tasks.nightly_privacy",
        "schedule": crontab(hour=3, minute=30),
    },
    "nightly-documents": {
        "task": "documents.tasks.purge_deleted_documents",
        "schedule": crontab(hour=3, minute=15),
    },
    "nightly-summaries": {
        "task": "cases.tasks.forget_old_summaries",
        "schedule": crontab(hour=4, minute=10),
    },
    "nightly-read-notifications": {
        "task": "notifications.tasks.purge_read_notifications",
        "schedule": crontab(hour=4, minute=0),
    },
    "nightly-security-log": {
        "task": "partners.tasks.prune_security_log",
        "schedule": crontab(hour=3, minute=45),
    },
}
# The outbox relay (core.outbox) sends every this many seconds what a page could not send,
# and re-runs a daily job (the sweep) that did not finish; e-mails a lost task did not send
# are caught up every EMAIL_CATCH_UP_MINUTES.
OUTBOX_RELAY_SECONDS = env_int("OUTBOX_RELAY_SECONDS", 30)
EMAIL_CATCH_UP_MINUTES = env_int("EMAIL_CATCH_UP_MINUTES", 5)
# An e-mail taken by a sender that did not mark it sent within this many seconds (the sender
# died) is sent again: at most one e-mail per dead sender goes out twice.
EMAIL_CLAIM_SECONDS = env_int("EMAIL_CLAIM_SECONDS", 600)
CELERY_BEAT_SCHEDULE |= {
    "outbox-relay": {"task": "core.tasks.outbox_relay", "schedule": OUTBOX_RELAY_SECONDS},
    "email-catch-up": {
        "task": "notifications.tasks.email_catch_up",
        "schedule": EMAIL_CATCH_UP_MINUTES * 60,
    },
}
# A creation's one-time form token or Idempotency-Key is remembered this many hours: sent
# again within them, it gets the first answer instead of creating twice.
IDEMPOTENCY_KEEP_HOURS = env_int("IDEMPOTENCY_KEEP_HOURS", 24)
# A page that schedules a task never waits long for a broker that does not answer.
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_TASK_PUBLISH_RETRY = False

# --- Funding (funding/) ---

# The landlord's flat fee per support measure, when the year's budget does not say.
FUNDING_FLAT_FEE_DEFAULT = env_int("FUNDING_FLAT_FEE_DEFAULT", 400)
# Whether the renewal of a measure books a new flat fee (off: one fee per measure).
FUNDING_RENEWAL_BOOKS_FEE = env_bool("FUNDING_RENEWAL_BOOKS_FEE", False)

# --- Statistics (stats/) ---

# Statistical secrecy: a figure resting on fewer households than this is hidden from
# everyone but the coordination (pages, exports, API, annual report).
STATS_SMALL_CELL_THRESHOLD = env_int("STATS_SMALL_CELL_THRESHOLD", 5)
# The public cost an avoided eviction spares (euros per eviction), and its source, named
# on the statistics page and in the report.
STATS_EVICTION_PUBLIC_COST = env_int("STATS_EVICTION_PUBLIC_COST", 20000)
STATS_EVICTION_PUBLIC_COST_SOURCE = env_str(
    "STATS_EVICTION_PUBLIC_COST_SOURCE",
    "ordre de grandeur des estimations publiées du coût public d'une expulsion locative "
    "(procédure, hébergement d'urgence, relogement), de 15 000 à 25 000 € par expulsion ; "
    "valeur retenue par la coordination : milieu de la fourchette",
)

# --- REST API (logement_toujours/api.py, */api.py) ---

# Requests allowed per personal token (or per signed-in user, or per anonymous address):
# "<number>/<second|minute|hour|day>". Beyond, 429 with the wait in Retry-After.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/minute")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partners.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Requests per token (or per session user, or per address when anonymous).
    "DEFAULT_THROTTLE_CLASSES": ["partners.authentication.TokenRateThrottle"],
    # JSON only: the browsable renderer would draw forms listing every related object.
    # The documentation page is /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON nested past core.parsers.MAX_JSON_DEPTH is refused with 400 before it is parsed.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["rest_framework.filters.OrderingFilter"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Le logement toujours — API",
    "DESCRIPTION": (
        "API du dossier partagé : ménages, diagnostics, orientations, co-décisions, mesures "
        "d'accompagnement, suivis, notifications, registre des financements. Mêmes droits "
        "que les pages : chaque structure ne voit que les ménages qu'elle accompagne. "
        "Authentification par session ou par jeton personnel "
        "(« Authorization: Token <jeton> », page Profil)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its page are for signed-in users and token holders only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AnswerEnum": "codecision.models.Answer",
        "SchemeStatusEnum": "households.models.SchemeStatus",
        "ActionKindEnum": "households.models.ActionKind",
        "FollowUpKindEnum": "actions.models.FollowUpKind",
        "AppointmentKindEnum": "actions.models.AppointmentKind",
        "DocumentKindEnum": "documents.models.DocumentKind",
        "PartnerKindEnum": "partners.models.PartnerKind",
        "EnergyLabelEnum": "households.models.EnergyLabel",
    },
}

# Every upload is counted while it streams in and cut past DOCUMENTS_MAX_UPLOAD_MB, whoever
# reads the body first (a middleware may, before the documents' views).
FILE_UPLOAD_HANDLERS = [
    "documents.files.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
