from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "tropewatch.orgs"
    verbose_name = "Organisations"
