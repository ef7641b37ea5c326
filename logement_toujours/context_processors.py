"""`can` in every template: what the signed-in user may do, asked of each app's access
functions, so that no template tests a role (`{% if can.manage_committees %}`).

Decisions about one object (may this user orient this household?) come from the view that
shows it, as `can_…` booleans computed by the same functions."""

from django.http import HttpRequest
from django.utils.functional import cached_property

from actions.permissions import can_read_dwellings, can_see_outreach
from cases.permissions import can_answer_right_of_access
from codecision.permissions import (
    can_arbitrate,
    can_manage_committees,
    can_record_committee_answers,
)
from funding.permissions import can_enter, can_see_budget
from households.permissions import (
    can_create_household,
    can_open_caseload,
    can_read_access_log,
)
from partners.permissions import is_account_manager
from stats.permissions import can_see_statistics


class Can:
    def __init__(self, user) -> None:
        self.user = user
        self.signed_in = user.is_authenticated and user.role is not None

    @cached_property
    def open_caseload(self) -> bool:
        """Named households: « Mes ménages », decisions waiting, measures in progress."""
        return self.signed_in and can_open_caseload(self.user)

    @cached_property
    def read_dwellings(self) -> bool:
        """The register of the dwellings an association holds (action 4)."""
        return self.signed_in and can_read_dwellings(self.user)

    @cached_property
    def see_outreach(self) -> bool:
        """The outreach requests a landlord made or an association received."""
        return self.signed_in and can_see_outreach(self.user)

    @cached_property
    def create_household(self) -> bool:
        return self.signed_in and can_create_household(self.user)

    @cached_property
    def read_access_log(self) -> bool:
        return self.signed_in and can_read_access_log(self.user)

    @cached_property
    def answer_right_of_access(self) -> bool:
        return self.signed_in and can_answer_right_of_access(self.user)

    @cached_property
    def arbitrate(self) -> bool:
        return self.signed_in and can_arbitrate(self.user)

    @cached_property
    def record_committee_answers(self) -> bool:
        """Answers given in a committee, for either side; every open co-decision followed."""
        return self.signed_in and can_record_committee_answers(self.user)

    @cached_property
    def manage_committees(self) -> bool:
        return self.signed_in and can_manage_committees(self.user)

    @cached_property
    def see_budget(self) -> bool:
        return self.signed_in and can_see_budget(self.user)

    @cached_property
    def see_statistics(self) -> bool:
        return self.signed_in and can_see_statistics(self.user)

    @cached_property
    def enter_budget(self) -> bool:
        return self.signed_in and can_enter(self.user)

    @cached_property
    def manage_accounts(self) -> bool:
        """« Comptes »: a manager its partner's people, coordinators (and superusers) every
        partner's."""
        return self.user.is_authenticated and is_account_manager(self.user)


def can(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {"can": Can(user)} if user is not None else {}
