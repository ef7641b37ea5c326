from django.urls import path

from funding import views

app_name = "funding"

urlpatterns = [
    path("", views.index, name="index"),
    path("<year:year>/", views.dashboard, name="dashboard"),
    path("<year:year>/registre/", views.ledger, name="ledger"),
    path("<year:year>/registre.<fmt>", views.ledger_export, name="ledger_export"),
    path("<year:year>/chiffres.<str:fmt>", views.figures_export, name="figures_export"),
    path("<year:year>/ecritures/nouvelle/", views.entry_create, name="entry_create"),
    path("<year:year>/objectif/", views.budget_edit, name="budget_edit"),
    path("sources/<id:pk>/mesures/", views.source_measures, name="source_measures"),
    path("<year:year>/sources/nouvelle/", views.source_create, name="source_create"),
    path("ecritures/<id:pk>/corriger/", views.entry_correct, name="entry_correct"),
]
