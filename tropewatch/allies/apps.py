from django.apps import AppConfig


class AlliesConfig(AppConfig):
    name = "tropewatch.allies"
    verbose_name = "Calls to action for allies"
