from django.urls import path

from codecision import views

app_name = "codecision"

urlpatterns = [
    path("decisions-en-attente/", views.pending, name="pending"),
    path("co-decisions/<id:pk>/", views.detail, name="detail"),
    path("co-decisions/<id:pk>/repondre/", views.answer, name="answer"),
    path("co-decisions/<id:pk>/arbitrer/", views.arbitrate, name="arbitrate"),
    path("comites/", views.session_list, name="session_list"),
    path("comites/nouveau/", views.session_create, name="session_create"),
    path("comites/<id:pk>/", views.session_detail, name="session_detail"),
    path("comites/<id:pk>/reponses/", views.session_answers, name="session_answers"),
    path("comites/<id:pk>/valider/", views.session_sign_off, name="session_sign_off"),
    path("comites/<id:pk>/compte-rendu.pdf", views.session_minutes_pdf, name="minutes_pdf"),
]
