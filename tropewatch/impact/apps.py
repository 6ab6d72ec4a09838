from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "tropewatch.impact"
    verbose_name = "Daily roll-ups and the leads' dashboard"
