from django.urls import path

from stats import views

app_name = "stats"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.page, name="page"),
    path("<int:year>/chiffres.<str:fmt>", views.figures_export, name="figures_export"),
    path("<int:year>/menages.<str:fmt>", views.households_export, name="households_export"),
    path("<int:year>/mesures.<str:fmt>", views.measures_export, name="measures_export"),
    path("<int:year>/bilan/", views.report_page, name="report"),
    path("<int:year>/bilan/texte/", views.report_text_edit, name="report_text"),
    path("<int:year>/bilan/generer/", views.report_generate, name="report_generate"),
    path("bilans/<int:pk>/avancement/", views.report_progress, name="report_progress"),
    path("bilans/<int:pk>/bilan.<str:fmt>", views.report_download, name="report_download"),
]
