from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "tropewatch.posts"
    verbose_name = "Posts"
