from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from funding.permissions import can_see_budget
from households.permissions import can_open_caseload


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer and docker-compose: the process answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on a page it may read: the caseload, the funder its figures."""
    user = request.user
    if can_open_caseload(user):
        return redirect("households:list")
    if can_see_budget(user):
        return redirect("funding:index")
    if user.is_staff:
        return redirect("admin:index")
    return redirect("profile")
