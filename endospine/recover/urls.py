from django.urls import path

from endospine.recover import views

app_name = "recover"
urlpatterns = [
    path("episodes/<uuid:episode_id>/", views.episode_recovery, name="episode"),
    path("episodes/<uuid:episode_id>/checkin/", views.checkin, name="checkin"),
    path("checkins/<uuid:checkin_id>/", views.result, name="result"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/badge/", views.alert_badge, name="alert_badge"),
    path("alerts/<uuid:alert_id>/", views.alert, name="alert"),
    path(
        "alerts/<uuid:alert_id>/acknowledge/",
        views.alert_action,
        {"verb": "acknowledge"},
        name="acknowledge",
    ),
    path(
        "alerts/<uuid:alert_id>/resolve/", views.alert_action, {"verb": "resolve"}, name="resolve"
    ),
    path("response-times/", views.response_times, name="response_times"),
]
