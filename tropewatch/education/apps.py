from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "tropewatch.education"
    verbose_name = "Education library and suggested replies"
