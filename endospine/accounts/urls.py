from django.urls import path

from endospine.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("2fa/verify/", views.verify, name="verify"),
    path("2fa/setup/", views.setup_2fa, name="setup_2fa"),
]
