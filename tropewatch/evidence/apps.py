from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "tropewatch.evidence"
    verbose_name = "Evidence"
