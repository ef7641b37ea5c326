"""What the partners tell the apps above them (core.events)."""

from dataclasses import dataclass

from partners.models import Partner, User


@dataclass(frozen=True)
class PartnerActivityChanged:
    """A partner left the programme (`partner.active` is now False) or came back to it:
    the households follow with their access (households.wiring)."""

    partner: Partner
    by: User | None
