from django.apps import AppConfig


class PwaConfig(AppConfig):
    name = "tropewatch.pwa"
    verbose_name = "Installable console"
