"""Chain the review events a database already holds, per organisation in the order they
were written (created_at, then id), so that ``tropewatch verify`` passes after an upgrade.
No evidence is made up for items decided before: evidence is what was known at the
decision, and that moment has passed.

The hashes come from the same functions ``verify`` uses, on the historical rows."""

from django.db import migrations

from tropewatch.evidence.canonical import GENESIS, link_hash
from tropewatch.evidence.records import event_hash

BATCH = 1000


def chain_existing_events(apps, schema_editor):
    ReviewEvent = apps.get_model("review", "ReviewEvent")
    ChainLink = apps.get_model("evidence", "ChainLink")
    ChainHead = apps.get_model("evidence", "ChainHead")
    org_ids = ReviewEvent.objects.order_by().values_list("org_id", flat=True).distinct()
    for org_id in sorted(org_ids):
        seq, prev, links = 0, GENESIS, []
        events = ReviewEvent.objects.filter(org_id=org_id).order_by("created_at", "pk")
        for event in events.iterator(chunk_size=BATCH):
            seq += 1
            record = event_hash(event)
            link = link_hash(org_id, seq, "event", event.pk, record, prev)
            links.append(ChainLink(org_id=org_id, seq=seq, kind="event", object_id=event.pk,
                                   record_hash=record, prev_hash=prev, link_hash=link))
            prev = link
            if len(links) == BATCH:
                ChainLink.objects.bulk_create(links)
                links = []
        ChainLink.objects.bulk_create(links)
        ChainHead.objects.create(org_id=org_id, seq=seq, link_hash=prev)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
        ("review", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
    ]
