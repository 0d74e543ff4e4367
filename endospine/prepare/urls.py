from django.urls import path

from endospine.prepare import views

app_name = "prepare"
urlpatterns = [
    path("<uuid:episode_id>/", views.checklist, name="checklist"),
    path("<uuid:episode_id>/generate/", views.generate, name="generate"),
    path("<uuid:episode_id>/operate/", views.move_to_operate, name="move_to_operate"),
    path("<uuid:episode_id>/items/<uuid:item_id>/tick/", views.tick, name="tick"),
    path("<uuid:episode_id>/items/<uuid:item_id>/verify/", views.verify, name="verify"),
]
