from django.urls import path

from endospine.journey import views

app_name = "journey"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("home/", views.patient_home, name="patient_home"),
    path("new/", views.register_patient, name="register"),
    path("program/", views.program, name="program"),
    path("<uuid:episode_id>/", views.episode_detail, name="episode"),
    path("<uuid:episode_id>/stage/", views.change_stage, name="change_stage"),
    path("<uuid:episode_id>/sign-in-link/", views.send_sign_in_link, name="send_sign_in_link"),
    path(
        "<uuid:episode_id>/end-sessions/", views.end_patient_sessions, name="end_patient_sessions"
    ),
]
