"""What the households hear from the apps below them (called once, from households.apps):
a partner leaving the programme or coming back, which changes its access everywhere."""

from core import events
from households import involvement
from partners.events import PartnerActivityChanged


def connect() -> None:
    events.subscribe(PartnerActivityChanged, involvement.partner_activity_changed)
