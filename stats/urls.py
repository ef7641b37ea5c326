from django.urls import path

from stats import views

app_name = "stats"

urlpatterns = [
    path("", views.index, name="index"),
    path("<year:year>/", views.page, name="page"),
    path("<year:year>/chiffres.<str:fmt>", views.figures_export, name="figures_export"),
    path("<year:year>/menages.<str:fmt>", views.households_export, name="households_export"),
    path("<year:year>/mesures.<str:fmt>", views.measures_export, name="measures_export"),
    path("<year:year>/bilan/", views.report_page, name="report"),
    path("<year:year>/bilan/texte/", views.report_text_edit, name="report_text"),
    path("<year:year>/bilan/generer/", views.report_generate, name="report_generate"),
    path("bilans/<id:pk>/avancement/", views.report_progress, name="report_progress"),
    path("bilans/<id:pk>/bilan.<str:fmt>", views.report_download, name="report_download"),
]
