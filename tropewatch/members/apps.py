from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class MembersConfig(AppConfig):
    name = "tropewatch.members"
    verbose_name = "Member lists"

    def ready(self) -> None:
        import phonenumbers

        # A typo here would read every local number as another country's: stop instead.
        region = settings.MEMBERS_PHONE_REGION
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ImproperlyConfigured(
                f"TROPEWATCH_MEMBERS_REGION={region!r}: expected a two-letter region code "
                "that phone numbers use, e.g. GB, IE, US, DE"
            )
