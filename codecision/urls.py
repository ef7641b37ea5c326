from django.urls import path

from codecision import views

app_name = "codecision"

urlpatterns = [
    path("decisions-en-attente/", views.pending, name="pending"),
    path("co-decisions/<int:pk>/", views.detail, name="detail"),
    path("co-decisions/<int:pk>/repondre/", views.answer, name="answer"),
    path("co-decisions/<int:pk>/arbitrer/", views.arbitrate, name="arbitrate"),
    path("comites/", views.session_list, name="session_list"),
    path("comites/nouveau/", views.session_create, name="session_create"),
    path("comites/<int:pk>/", views.session_detail, name="session_detail"),
    path("comites/<int:pk>/valider/", views.session_sign_off, name="session_sign_off"),
    path("comites/<int:pk>/compte-rendu.pdf", views.session_minutes_pdf, name="minutes_pdf"),
]
