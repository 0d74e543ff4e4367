from django.urls import path

from endospine.proms import views

app_name = "proms"
urlpatterns = [
    path("episodes/<uuid:episode_id>/", views.episode, name="episode"),
    path("episodes/<uuid:episode_id>/progress/", views.progress_page, name="progress"),
    path("episodes/<uuid:episode_id>/answer/<slug:code>/", views.answer, name="answer"),
]
