"""Forms of the console: queue filters, decisions and notes."""

from __future__ import annotations

from django import forms

from tropewatch.detector.taxonomy import load_taxonomy
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import PLATFORM_CHOICES, Source
from tropewatch.posts.search import MAX_QUERY_LENGTH
from tropewatch.web.params import IdField

from .models import DismissReason
from .queue import DEFAULT_SORT, PENDING, SORTS, QueueFilters
from .status import Action, Status

MAX_NOTE = 5000


def category_choices() -> list[tuple[str, str]]:
    return [(c.id, c.name) for c in load_taxonomy().categories]


class SearchField(forms.CharField):
    """Words to find in posts' text, their authors' handles and names, and their URLs."""

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, max_length=MAX_QUERY_LENGTH,
                         label="Search text, author or URL",
                         widget=forms.TextInput(attrs={"type": "search"}), **kwargs)


class QueueFilterForm(forms.Form):
    q = SearchField()
    status = forms.ChoiceField(
        required=False,
        choices=[(Status.OPEN.value, "Open"), (Status.ESCALATED.value, "Escalated"),
                 (PENDING, "Open or escalated"), (Status.CONFIRMED.value, "Confirmed"),
                 (Status.DISMISSED.value, "Dismissed"), ("all", "Any status")],
    )
    source = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    platform = forms.ChoiceField(required=False, choices=[("", "Any platform"), *PLATFORM_CHOICES])
    category = forms.ChoiceField(required=False)
    min_score = forms.FloatField(required=False, min_value=0, max_value=1, label="Score at least",
                                 widget=forms.NumberInput(attrs={"step": "0.05"}))
    since = forms.DateField(required=False, label="Posted from",
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="Posted until",
                            widget=forms.DateInput(attrs={"type": "date"}))
    author = forms.CharField(required=False, max_length=300, label="Author (handle or name)")
    sort = forms.ChoiceField(required=False, label="Order",
                             choices=[(key, label) for key, (label, _) in SORTS.items()])

    def __init__(self, org: Organisation, *args, personal_data: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.personal_data = personal_data
        if not personal_data:  # authors and URLs are not theirs to search
            del self.fields["author"]
            self.fields["q"].label = "Search text"
        sources = Source.objects.for_org(org).order_by("name").values_list("pk", "name")
        self.fields["source"].choices = [("", "Any source"), *sources]
        self.fields["category"].choices = [("", "Any category"), *category_choices()]

    def filters(self) -> QueueFilters:
        """The filters chosen; an invalid field falls back to its default (the form shows
        the error next to it)."""
        self.is_valid()
        data = self.cleaned_data  # the valid fields, even when another field is not
        return QueueFilters(
            status=data.get("status") or Status.OPEN.value,
            source=data.get("source"),
            platform=data.get("platform") or "",
            category=data.get("category") or "",
            min_score=data.get("min_score"),
            since=data.get("since"),
            until=data.get("until"),
            search=data.get("q") or "",
            author=data.get("author") or "",
            search_people=self.personal_data,
            sort=data.get("sort") or DEFAULT_SORT,
        )


class DecisionForm(forms.Form):
    # Notes have a form of their own; undo is offered only for a bulk decision just taken.
    action = forms.ChoiceField(choices=[(a.value, a.value) for a in Action
                                        if a not in (Action.NOTE, Action.UNDO)])
    categories = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    reason = forms.ChoiceField(required=False, choices=DismissReason.choices)
    note = forms.CharField(required=False, max_length=MAX_NOTE, widget=forms.Textarea)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = category_choices()

    def clean(self) -> dict:
        data = super().clean()
        action = data.get("action")
        if action == Action.CONFIRM and not data.get("categories"):
            self.add_error("categories", "Tick at least one category to confirm.")
        if action == Action.DISMISS and not data.get("reason"):
            self.add_error("reason", "Choose why the post is not antisemitic.")
        if data.get("reason") == "other" and not data.get("note"):
            self.add_error("note", "Say why in a note when the reason is 'Other'.")
        return data


class NoteForm(forms.Form):
    note = forms.CharField(max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3}))


class IdListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value: list[str] | None) -> list[int]:
        ids = IdField()  # each one a number the database can hold
        try:
            return [ids.clean(item) for item in value or []]
        except forms.ValidationError:
            raise forms.ValidationError("Not a list of post ids.") from None


class BulkForm(forms.Form):
    posts = IdListField(error_messages={"required": "Select at least one item."})
    action = forms.ChoiceField(choices=[(Action.CONFIRM.value, "Confirm"),
                                        (Action.DISMISS.value, "Dismiss"),
                                        (Action.ESCALATE.value, "Escalate")])
    reason = forms.ChoiceField(required=False, choices=DismissReason.choices)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == Action.DISMISS and not data.get("reason"):
            self.add_error("reason", "Choose why the posts are not antisemitic.")
        return data
