from django.urls import path

from households import views

app_name = "households"
urlpatterns = [
    path("nouveau/", views.household_create, name="create"),
    path("<id:pk>/modifier/", views.household_edit, name="edit"),
    path("<id:pk>/bailleur/", views.household_landlord_change, name="landlord_change"),
    path("<id:pk>/fusionner/", views.household_merge_view, name="merge"),
    path("<id:pk>/diagnostics/nouveau/", views.diagnostic_create, name="diagnostic_create"),
    path(
        "<id:pk>/diagnostics/<id:diagnostic_pk>/corriger/",
        views.diagnostic_edit,
        name="diagnostic_edit",
    ),
    path("<id:pk>/diagnostics/chiffres/", views.diagnostic_figures, name="diagnostic_figures"),
    path("journal-des-acces/", views.access_log, name="access_log"),
]
