from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("menages/<int:household_pk>/documents/", views.document_list, name="list"),
    path("menages/<int:household_pk>/documents/ajouter/", views.document_create, name="create"),
    path("documents/<int:pk>/telecharger/", views.document_download, name="download"),
    path(
        "documents/<int:pk>/versions/<int:number>/telecharger/",
        views.document_download,
        name="download_version",
    ),
    path("documents/<int:pk>/nouvelle-version/", views.version_create, name="version_create"),
    path("documents/<int:pk>/supprimer/", views.document_delete, name="delete"),
]
