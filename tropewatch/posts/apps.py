from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "tropewatch.posts"
    verbose_name = "Posts"

    def ready(self) -> None:
        from . import lookups

        lookups.register()
