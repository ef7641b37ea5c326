from django.urls import path

from partners import team_views

app_name = "partners"

urlpatterns = [
    path("partenaires/", team_views.partner_list, name="partner_list"),
    path("partenaires/<id:pk>/", team_views.partner_users, name="partner_users"),
    path("utilisateurs/<id:pk>/", team_views.user_detail, name="user_detail"),
    path("utilisateurs/<id:pk>/role/", team_views.user_role, name="user_role"),
    path("utilisateurs/<id:pk>/desactiver/", team_views.user_deactivate, name="user_deactivate"),
    path("utilisateurs/<id:pk>/reactiver/", team_views.user_reactivate, name="user_reactivate"),
    path(
        "utilisateurs/<id:pk>/second-facteur/reinitialiser/",
        team_views.user_second_factor_reset,
        name="user_second_factor_reset",
    ),
    path("utilisateurs/<id:pk>/debloquer/", team_views.user_unlock, name="user_unlock"),
    path(
        "utilisateurs/<id:pk>/invitation/",
        team_views.user_invitation_resend,
        name="user_invitation_resend",
    ),
    path(
        "utilisateurs/<id:pk>/mot-de-passe/",
        team_views.user_password_reset,
        name="user_password_reset",
    ),
    path("comptes/historique/", team_views.account_history, name="account_history"),
    path("comptes/securite/", team_views.security_log, name="security_log"),
]
