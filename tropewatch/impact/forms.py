"""The dashboard's filters (period, source, platform and category) and the date to compare
before and after."""

from __future__ import annotations

from django import forms

from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import PLATFORM_CHOICES, Source
from tropewatch.review.forms import category_choices

from .metrics import Filters


class DashboardFilterForm(forms.Form):
    since = forms.DateField(required=False, label="Posted from",
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="Posted until",
                            widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    platform = forms.ChoiceField(required=False, choices=[("", "Any platform"), *PLATFORM_CHOICES])
    category = forms.ChoiceField(required=False)
    change = forms.DateField(
        required=False, label="Before and after",
        help_text="A campaign start, a new rule, a ban: compare each group before and after.",
        widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, org: Organisation, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        sources = Source.objects.for_org(org).order_by("name").values_list("pk", "name")
        self.fields["source"].choices = [("", "Any source"), *sources]
        self.fields["category"].choices = [("", "Any category"), *category_choices()]

    def filters(self) -> Filters:
        """The filters chosen; an invalid field is left out (the form shows why)."""
        self.is_valid()
        data = self.cleaned_data
        return Filters(since=data.get("since"), until=data.get("until"),
                       source=data.get("source"), platform=data.get("platform") or "",
                       category=data.get("category") or "")
