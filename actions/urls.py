from django.urls import path

from actions import outreach_views, views

app_name = "actions"

urlpatterns = [
    path(
        "menages/<id:household_pk>/orienter/", views.orientation_create, name="orientation_create"
    ),
    path(
        "menages/<id:household_pk>/suivis/nouveau/",
        views.follow_up_create,
        name="follow_up_create",
    ),
    path(
        "menages/<id:household_pk>/rendez-vous/nouveau/",
        views.appointment_edit,
        name="appointment_create",
    ),
    path(
        "menages/<id:household_pk>/rendez-vous/<id:pk>/",
        views.appointment_edit,
        name="appointment_edit",
    ),
    path(
        "menages/<id:household_pk>/rendez-vous/<id:pk>/annuler/",
        views.appointment_cancel,
        name="appointment_cancel",
    ),
    path("menages/<id:household_pk>/procedure/", views.procedure_detail, name="procedure_detail"),
    path(
        "menages/<id:household_pk>/procedure/<slug:section>/",
        views.procedure_section,
        name="procedure_section",
    ),
    path("logements/", views.dwelling_list, name="dwelling_list"),
    path("logements/nouveau/", views.dwelling_edit, name="dwelling_create"),
    path("logements/<id:pk>/", views.dwelling_edit, name="dwelling_edit"),
    path("actions/<id:pk>/", views.action_detail, name="action_detail"),
    path("actions/<id:pk>/<slug:section>/", views.action_section, name="action_section"),
    path("mesures/", views.measure_overview, name="measure_overview"),
    path("mesures/<id:pk>/", views.measure_detail, name="measure_detail"),
    path("mesures/<id:pk>/objectifs/", views.objective_add, name="objective_add"),
    path("mesures/<id:pk>/objectifs/etat/", views.objective_status, name="objective_status"),
    path("mesures/<id:pk>/renouvellement/", views.renewal_request, name="renewal_request"),
    path("mesures/<id:pk>/cloture/", views.measure_close, name="measure_close"),
    path(
        "menages/<id:household_pk>/aller-vers/nouveau/",
        outreach_views.outreach_create,
        name="outreach_create",
    ),
    path("aller-vers/", outreach_views.outreach_list, name="outreach_list"),
    path("aller-vers/<id:pk>/", outreach_views.outreach_detail, name="outreach_detail"),
    path("aller-vers/<id:pk>/terminer/", outreach_views.outreach_close, name="outreach_close"),
    path("aller-vers/<id:pk>/retirer/", outreach_views.outreach_withdraw, name="outreach_withdraw"),
]
