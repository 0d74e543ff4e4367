from django.urls import path

from endospine.operate import views

app_name = "operate"
urlpatterns = [
    path("<uuid:episode_id>/record/", views.record_page, name="record"),
    path("<uuid:episode_id>/record/note/", views.note_page, name="note"),
    path("<uuid:episode_id>/record/note.pdf", views.note_pdf, name="note_pdf"),
    path("<uuid:episode_id>/record/sign/", views.sign, name="sign"),
    path("<uuid:episode_id>/record/addenda/", views.addendum, name="addendum"),
    path("<uuid:episode_id>/discharge/", views.discharge_page, name="discharge"),
    path("<uuid:episode_id>/instructions/", views.instructions_page, name="instructions"),
    path("<uuid:episode_id>/instructions.pdf", views.instructions_pdf, name="instructions_pdf"),
]
