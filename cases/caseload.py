"""« Mes ménages »: the caseload with where each case stands — its current action, its state,
its next deadline — in a fixed number of queries, whatever the page's size.

Read side: it reads the workflow's tables (actions, measures) through subqueries on the
households the access layer lets the user see; it writes nothing."""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from actions.models import Action, ActionStatus, MeasureStatus, SupportMeasure
from households.models import Diagnostic, Household
from partners.models import User

OPEN_ACTION = [ActionStatus.IN_CODECISION, ActionStatus.IN_PROGRESS]


def caseload(user: User, *, q="", housing_status="", landlord=None, kind="", referent=None):
    """The households `user` sees, filtered, each annotated with:

    - `latest_diagnostic_on`, `latest_conclusion`;
    - `current_action_kind`, `current_action_status`: its latest open action (in co-decision or
      in progress), if any;
    - `measure_ends_on`, `measure_referent`: its active measure's planned end and referent."""
    # A file merged into another (households.merge) is archived: its pointer is on its page.
    households = Household.objects.visible_to(user).filter(merged_into=None)
    households = households.select_related("landlord").search(q)
    if housing_status:
        households = households.filter(housing_status=housing_status)
    if landlord:
        households = households.filter(landlord=landlord)
    if kind:
        open_of_kind = Action.objects.filter(
            household=OuterRef("pk"), kind=kind, status__in=OPEN_ACTION
        )
        households = households.filter(Exists(open_of_kind))
    if referent:
        households = households.filter(
            Exists(
                SupportMeasure.objects.filter(
                    action__household=OuterRef("pk"),
                    status=MeasureStatus.ACTIVE,
                    referent=referent,
                )
            )
        )
    latest = Diagnostic.objects.filter(household=OuterRef("pk")).order_by("-made_on", "-pk")
    action = Action.objects.filter(household=OuterRef("pk"), status__in=OPEN_ACTION).order_by("-pk")
    measure = SupportMeasure.objects.filter(
        action__household=OuterRef("pk"), status=MeasureStatus.ACTIVE
    ).order_by("ends_on", "pk")
    return households.annotate(
        latest_diagnostic_on=Subquery(latest.values("made_on")[:1]),
        latest_conclusion=Subquery(latest.values("conclusion")[:1]),
        current_action_kind=Subquery(action.values("kind")[:1]),
        current_action_status=Subquery(action.values("status")[:1]),
        measure_ends_on=Subquery(measure.values("ends_on")[:1]),
        measure_referent=Subquery(measure.values("referent")[:1]),
    )


def referents_of(households: QuerySet) -> QuerySet:
    """The referents of the active measures among `households`: the referent filter's choices."""
    measures = SupportMeasure.objects.filter(
        action__household__in=households.values("pk"), status=MeasureStatus.ACTIVE
    )
    return User.objects.filter(Q(pk__in=measures.values("referent"))).order_by(
        "last_name", "first_name"
    )
