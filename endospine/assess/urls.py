from django.urls import path

from endospine.assess import views

app_name = "assess"
urlpatterns = [
    path("rules/", views.rule_table, name="rules"),
    path("<uuid:episode_id>/", views.patient_result, name="patient"),
    path("<uuid:episode_id>/intake/", views.intake, name="intake"),
    path("<uuid:episode_id>/staff/", views.staff, name="staff"),
    path("<uuid:episode_id>/findings/", views.findings, name="findings"),
    path("<uuid:episode_id>/assessments/", views.record_assessment, name="record"),
    path("assessments/<uuid:assessment_id>/decide/", views.decide, name="decide"),
]
