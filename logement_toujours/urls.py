from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from cases import views as case_views
from cases.urls import household_urlpatterns as case_urlpatterns
from households import urls as household_urls
from logement_toujours.health import health
from logement_toujours.views import help_page, home
from partners import views as partner_views

admin.site.site_header = "Le logement toujours — administration"
# A French page, or JSON under /api/, whatever failed; 503 while the database is down.
handler500 = "core.views.server_error"
handler404 = "core.views.page_not_found"
handler400 = "core.views.bad_request"

urlpatterns = [
    path("", home, name="home"),
    path("connexion/", partner_views.login_view, name="login"),
    path("deconnexion/", partner_views.logout_view, name="logout"),
    path("mot-de-passe/oublie/", partner_views.password_reset, name="password_reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        partner_views.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        partner_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        partner_views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("invitation/<uidb64>/<token>/", partner_views.invitation_accept, name="invitation_accept"),
    path("second-facteur/", partner_views.second_factor_verify, name="second_factor_verify"),
    path(
        "second-facteur/activer/",
        partner_views.second_factor_enrol,
        name="second_factor_enrol",
    ),
    path(
        "second-facteur/codes-de-secours/",
        partner_views.recovery_codes_renew,
        name="recovery_codes_renew",
    ),
    # A household's pages: the case file (households) and its read side (cases), one
    # namespace.
    path("menages/", include((household_urls.urlpatterns + case_urlpatterns, "households"))),
    path("echeances/", case_views.agenda_page, name="agenda"),
    path("echeances/calendrier/<slug:secret>.ics", case_views.calendar_feed, name="calendar_feed"),
    path("", include("actions.urls")),
    path("", include("documents.urls")),
    path("", include("codecision.urls")),
    path("notifications/", include("notifications.urls")),
    path("budget/", include("funding.urls")),
    path("statistiques/", include("stats.urls")),
    path("api/", include("logement_toujours.api")),
    path("aide/", help_page, name="help"),
    path("profil/", partner_views.profile, name="profile"),
    path("profil/mot-de-passe/", partner_views.password_change, name="password_change"),
    path("profil/jetons/<id:pk>/revoquer/", partner_views.token_revoke, name="token_revoke"),
    path(
        "profil/agenda/adresse/",
        partner_views.calendar_feed_create,
        name="calendar_feed_create",
    ),
    path(
        "profil/agenda/revoquer/",
        partner_views.calendar_feed_revoke,
        name="calendar_feed_revoke",
    ),
    path("", include("partners.urls")),
    path("admin/", admin.site.urls),
    # Answered by logement_toujours.health.HealthCheckMiddleware before any other; named here.
    path("sante/", login_not_required(health), name="health"),
]
