"""Run inside `manage.py shell` against the private database of a live fault test: the
people and the case it writes through, printed as JSON (API tokens, a co-decision)."""

import json

from partners.models import ApiToken, Role
from tests.factories import orientation_create, user_create


def main() -> None:
    cesf = user_create(Role.CESF, username="cesf.pannes")
    caseworker = user_create(Role.CASEWORKER, username="referent.pannes")
    codecision = orientation_create(cesf=cesf, association=caseworker.partner)
    codecision = codecision.action.codecisions.get()
    print(
        json.dumps(
            {
                "cesf": ApiToken.objects.create_for(user=cesf, name="pannes")[1],
                "caseworker": ApiToken.objects.create_for(user=caseworker, name="pannes")[1],
                "codecision": codecision.pk,
            }
        )
    )
