from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "tropewatch.imports"
    verbose_name = "Imports"
