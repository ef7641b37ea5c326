"""Run inside `manage.py shell` against the private database of a live fault test: the
people and the case it writes through, printed as JSON (API tokens, a co-decision)."""

import json
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

from partners.models import ApiToken, Role
from partners.security import SESSION_LOGIN_AT, SESSION_SEEN_AT
from tests.factories import orientation_create, user_create


def main() -> None:
    cesf = user_create(Role.CESF, username="cesf.pannes")
    caseworker = user_create(Role.CASEWORKER, username="referent.pannes")
    codecision = orientation_create(cesf=cesf, association=caseworker.partner)
    codecision = codecision.action.codecisions.get()
    # A signed-in session of the CESF, as after a login (no second factor for that role).
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(cesf.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = cesf.get_session_auth_hash()
    session[SESSION_LOGIN_AT] = session[SESSION_SEEN_AT] = time.time()
    session.create()
    print(
        json.dumps(
            {
                "cesf": ApiToken.objects.create_for(user=cesf, name="pannes")[1],
                "caseworker": ApiToken.objects.create_for(user=caseworker, name="pannes")[1],
                "codecision": codecision.pk,
                "session": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
            }
        )
    )
