"""The REST API under /api/: one router over each app's api.py, the schema and its docs.

What every endpoint shares (ids, filters, error answers) is in core.api."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers

from actions.api import (
    AppointmentViewSet,
    CoDecisionViewSet,
    DwellingViewSet,
    FollowUpViewSet,
    MeasureViewSet,
    OrientationViewSet,
    OutreachRequestViewSet,
    ProcedureViewSet,
)
from cases.api import CaseSummaryViewSet
from documents.api import DocumentViewSet
from funding.api import LedgerViewSet
from households.api import HouseholdViewSet
from notifications.api import NotificationViewSet
from partners.api import PartnerViewSet
from stats.api import StatisticsView

app_name = "api"

router = routers.DefaultRouter()
router.register("partners", PartnerViewSet, basename="partner")
router.register("households", HouseholdViewSet, basename="household")
router.register("households", CaseSummaryViewSet, basename="case-summary")
router.register("households", ProcedureViewSet, basename="household-procedure")
router.register("orientations", OrientationViewSet, basename="orientation")
router.register("codecisions", CoDecisionViewSet, basename="codecision")
router.register("measures", MeasureViewSet, basename="measure")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")
router.register("dwellings", DwellingViewSet, basename="dwelling")
router.register("outreach-requests", OutreachRequestViewSet, basename="outreach-request")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("documents", DocumentViewSet, basename="document")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("ledger", LedgerViewSet, basename="ledger-entry")

api_urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("statistics/", StatisticsView.as_view(), name="statistics"),
    *router.urls,
]

# The API authenticates by session or personal token itself (401 rather than a redirect
# to the login page); the schema too, for signed-in users and token holders only.
for pattern in api_urlpatterns:
    pattern.callback.login_required = False

# The documentation page is for signed-in users (the login page otherwise); its script is a
# file of its own, as the Content-Security-Policy allows no inline script.
docs_view = SpectacularSwaggerSplitView.as_view(url_name="api:schema")
docs_view.login_required = True

urlpatterns = [path("docs/", docs_view, name="docs"), *api_urlpatterns]
