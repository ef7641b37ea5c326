from django.urls import path

from funding import views

app_name = "funding"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.dashboard, name="dashboard"),
    path("<int:year>/registre/", views.ledger, name="ledger"),
    path("<int:year>/registre.<fmt>", views.ledger_export, name="ledger_export"),
    path("<int:year>/chiffres.<str:fmt>", views.figures_export, name="figures_export"),
    path("<int:year>/ecritures/nouvelle/", views.entry_create, name="entry_create"),
    path("<int:year>/objectif/", views.budget_edit, name="budget_edit"),
    path("sources/<int:pk>/mesures/", views.source_measures, name="source_measures"),
    path("<int:year>/sources/nouvelle/", views.source_create, name="source_create"),
    path("ecritures/<int:pk>/corriger/", views.entry_correct, name="entry_correct"),
]
