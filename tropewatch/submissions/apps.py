from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "tropewatch.submissions"
    verbose_name = "Submissions"
