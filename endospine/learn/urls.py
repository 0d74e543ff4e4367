from django.urls import path

from endospine.learn import views

app_name = "learn"
urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("<slug:slug>/", views.article, name="article"),
]
