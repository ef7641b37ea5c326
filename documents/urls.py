from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("menages/<id:household_pk>/documents/", views.document_list, name="list"),
    path("menages/<id:household_pk>/documents/ajouter/", views.document_create, name="create"),
    path("documents/<id:pk>/telecharger/", views.document_download, name="download"),
    path(
        "documents/<id:pk>/versions/<id:number>/telecharger/",
        views.document_download,
        name="download_version",
    ),
    path("documents/<id:pk>/nouvelle-version/", views.version_create, name="version_create"),
    path("documents/<id:pk>/supprimer/", views.document_delete, name="delete"),
]
