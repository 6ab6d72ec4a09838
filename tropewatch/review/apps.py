from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "tropewatch.review"
    verbose_name = "Review"
