"""The audit log: the review events of an organisation, filtered, and as CSV rows."""

from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.db.models import QuerySet

from tropewatch.orgs.models import Organisation
from tropewatch.posts import search
from tropewatch.web.params import IdField

from .forms import SearchField
from .models import ReviewEvent
from .status import Action

CSV_HEADER = ["time", "actor", "role", "action", "post_id", "platform", "platform_post_id",
              "categories", "reason", "note"]


class AuditFilterForm(forms.Form):
    q = SearchField(help_text="Finds the events on the posts that match.")
    actor = forms.CharField(required=False, max_length=150, label="Who (username)")
    action = forms.ChoiceField(required=False,
                               choices=[("", "Any action"), *[(a.value, a.value) for a in Action]])
    post = IdField(required=False, label="Post number")
    since = forms.DateField(required=False, label="From",
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="Until",
                            widget=forms.DateInput(attrs={"type": "date"}))

    def events(self, org: Organisation) -> QuerySet[ReviewEvent]:
        self.is_valid()
        data = self.cleaned_data  # the valid fields; invalid ones are shown and ignored
        events = ReviewEvent.objects.for_org(org).select_related("post").order_by(
            "-created_at", "-pk"
        )
        if data.get("actor"):
            events = events.filter(actor_name=data["actor"])
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("post"):
            events = events.filter(post_id=data["post"])
        if data.get("since"):
            events = events.filter(created_at__date__gte=data["since"])
        if data.get("until"):
            events = events.filter(created_at__date__lte=data["until"])
        if data.get("q"):
            # The audit log is for leads and admins, who see personal data.
            events = events.filter(search.matching(data["q"], org.pk, people=True, via="post"))
        return events


def csv_rows(events: QuerySet[ReviewEvent]) -> Iterator[list[object]]:
    """The header and one row per event, unescaped: write them with ``SafeWriter``."""
    yield CSV_HEADER
    for event in events.iterator(chunk_size=2000):
        yield [
            event.created_at.isoformat(), event.actor_name, event.actor_role, event.action,
            event.post_id, event.post.platform, event.post.platform_id,
            " ".join(event.categories), event.reason, event.note,
        ]
