"""``python manage.py refresh_priority [--org SLUG]``: write the review queue's stored priority
again, after changing REVIEW_HALF_LIFE_DAYS or writing detections, posts or flags around
tropewatch.review.priority's write points (raw SQL, a restore)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tropewatch.orgs.models import Organisation
from tropewatch.review.priority import fill, fill_decided, refresh_org


class Command(BaseCommand):
    help = "Recompute the stored review queue priority of every detection (or one org's)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", help="only this organisation's detections (its slug)")

    def handle(self, *args, org: str | None = None, **options) -> None:
        if org is None:
            fill_decided()
            written = fill()
        else:
            try:
                written = refresh_org(Organisation.objects.get(slug=org))
            except Organisation.DoesNotExist as missing:
                raise CommandError(f"No organisation {org!r}.") from missing
        self.stdout.write(f"{written} detections' priority written")
