from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tropewatch.reports"
    verbose_name = "Reports to the platforms"
