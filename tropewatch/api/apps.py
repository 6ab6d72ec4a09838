from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tropewatch.api"
    verbose_name = "API"
