from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from cases.urls import household_urlpatterns as case_urlpatterns
from households import urls as household_urls
from logement_toujours.views import health
from partners import views as partner_views

admin.site.site_header = "Le logement toujours — administration"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="households:list"), name="home"),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    # A household's pages: the case file (households) and its read side (cases), one
    # namespace.
    path("menages/", include((household_urls.urlpatterns + case_urlpatterns, "households"))),
    path("", include("actions.urls")),
    path("", include("codecision.urls")),
    path("notifications/", include("notifications.urls")),
    path("budget/", include("funding.urls")),
    path("api/", include("logement_toujours.api")),
    path("profil/", partner_views.profile, name="profile"),
    path("profil/jetons/<int:pk>/revoquer/", partner_views.token_revoke, name="token_revoke"),
    path("admin/", admin.site.urls),
    path("sante/", health, name="health"),
]
