from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from funding.permissions import can_see_budget
from households.permissions import can_open_caseload
from stats.permissions import can_see_statistics


def _help_template(user) -> str:
    """The part of the help page about the reader's own work."""
    if user.is_coordinator or user.is_superuser:
        return "help/_coordinator.html"
    if user.is_cesf:
        return "help/_cesf.html"
    if user.is_caseworker:
        return "help/_caseworker.html"
    if user.is_manager:
        return "help/_manager.html"
    if user.is_funder_viewer:
        return "help/_funder.html"
    return "help/_none.html"


def help_page(request: HttpRequest) -> HttpResponse:
    """« Aide »: how the programme works, its four actions, co-decision, renewal and
    confidentiality, then what the reader's own role does here."""
    context = {
        "role_help": _help_template(request.user),
        "measure_months": settings.MEASURE_DURATION_MONTHS,
        "renewals": settings.MEASURE_MAX_RENEWALS,
        "codecision_wait_days": settings.REMINDER_CODECISION_WAIT_DAYS,
        "no_follow_up_days": settings.REMINDER_NO_FOLLOW_UP_DAYS,
    }
    return render(request, "help/help.html", context)


def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on a page it may read: the caseload, the funder its figures."""
    user = request.user
    if can_open_caseload(user):
        return redirect("households:list")
    if can_see_statistics(user):
        return redirect("stats:index")
    if can_see_budget(user):
        return redirect("funding:index")
    if user.is_staff:
        return redirect("admin:index")
    return redirect("profile")
