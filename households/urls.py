from django.urls import path

from households import pdf_views, views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("nouveau/", views.household_create, name="create"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/modifier/", views.household_edit, name="edit"),
    path("<int:pk>/diagnostics/nouveau/", views.diagnostic_create, name="diagnostic_create"),
    path("<int:pk>/resume.pdf", pdf_views.summary_pdf, name="summary_pdf"),
    path("<int:pk>/donnees.json", views.subject_access, name="subject_access"),
    path("journal-des-acces/", views.access_log, name="access_log"),
]
