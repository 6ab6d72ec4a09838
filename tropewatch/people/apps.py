from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "tropewatch.people"
    verbose_name = "People and repeat offenders"
