from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from endospine.accounts import language, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("language/", language.set_language, name="set_language"),
    path("2fa/verify/", views.verify, name="verify"),
    path("2fa/setup/", views.setup_2fa, name="setup_2fa"),
    path(
        "set-password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/set_password.html",
            success_url=reverse_lazy("accounts:set_password_done"),
        ),
        name="set_password",
    ),
    path(
        "set-password/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/set_password_done.html"
        ),
        name="set_password_done",
    ),
]
