from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "tropewatch.cases"
    verbose_name = "Complaint cases"
