from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "tropewatch.clusters"
    verbose_name = "Near-duplicate clusters"
