from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "endospine.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
