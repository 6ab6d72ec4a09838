from django.apps import AppConfig


class AdaptationConfig(AppConfig):
    name = "tropewatch.adaptation"
    verbose_name = "Adaptation"
