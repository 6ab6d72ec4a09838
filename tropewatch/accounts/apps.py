from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tropewatch.accounts"
    verbose_name = "Accounts, roles and invitations"
