from django.urls import path

from endospine.measure import views

app_name = "measure"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("mine/", views.mine, name="mine"),
    path("mine/verify/", views.verify, name="verify"),
    path("followup/", views.followup, name="followup"),
    path("followup/<uuid:episode_id>/contact/", views.contact, name="contact"),
    path("episodes/<uuid:episode_id>/", views.episode_events, name="episode_events"),
    path("alerts/<uuid:alert_id>/resolve/", views.alert_event, name="alert_event"),
]
