from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from endospine.accounts import language, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("language/", language.set_language, name="set_language"),
    path("forgot/", views.forgot, name="forgot"),
    path("me/", views.account, name="account"),
    path("me/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("me/end-other-sessions/", views.end_other_sessions, name="end_other_sessions"),
    path("2fa/verify/", views.verify, name="verify"),
    path("2fa/setup/", views.setup_2fa, name="setup_2fa"),
    path("2fa/enrol/<uidb64>/<token>/", views.enrol_link, name="enrol_2fa"),
    path(
        "set-password/<uidb64>/<token>/",
        views.SetPasswordView.as_view(success_url=reverse_lazy("accounts:set_password_done")),
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
