"""The case pages live under a household's address and in the households namespace
(households:detail, households:summary_pdf, households:access_request_create,
households:subject_access): the project's urls
mount these patterns beside households.urls."""

from django.urls import path

from cases import views

household_urlpatterns = [
    path("", views.household_list, name="list"),
    path("<id:pk>/", views.household_detail, name="detail"),
    path("<id:pk>/resume.pdf", views.summary_pdf, name="summary_pdf"),
    path("<id:pk>/resume/", views.summary_export, name="summary_export"),
    path("<id:pk>/resume/telecharger/", views.summary_download, name="summary_download"),
    path("<id:pk>/journal.csv", views.journal_csv, name="journal_csv"),
    path(
        "<id:pk>/demandes-d-acces/nouvelle/",
        views.access_request_create,
        name="access_request_create",
    ),
    path(
        "<id:pk>/demandes-d-acces/<id:request_pk>/donnees.zip",
        views.subject_access,
        name="subject_access",
    ),
]
