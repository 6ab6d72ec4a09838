from __future__ import annotations

from django import forms

from .credentials import seal
from .models import ReportingSettings
from .status import Outcome, ReportAction

_OUTCOMES = [("", "—")] + [(o.value, o.value.replace("_", " ")) for o in Outcome]


class RecordForm(forms.Form):
    """What the lead records by hand: drafted, submitted (with the platform's reference), the
    platform's response, an appeal, the outcome."""

    action = forms.ChoiceField(choices=[(a.value, a.value) for a in ReportAction])
    reference = forms.CharField(max_length=300, required=False)
    note = forms.CharField(max_length=10000, required=False)
    outcome = forms.ChoiceField(choices=_OUTCOMES, required=False)


class SendForm(forms.Form):
    rule_ids = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, rule_choices: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule_ids"].choices = rule_choices


class SettingsForm(forms.ModelForm):
    """Stored credentials are never shown back: a blank field keeps what is stored."""

    bluesky_app_password = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False),
        help_text="An app password (Settings → Privacy and security → App passwords).")
    mastodon_token = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False),
        help_text="An access token with the write:reports scope.")
    bluesky_service = forms.URLField(assume_scheme="https", initial="https://bsky.social")
    mastodon_instance = forms.URLField(required=False, assume_scheme="https",
                                       help_text="The server your account is on.")
    forget_bluesky = forms.BooleanField(required=False, label="Forget the Bluesky password")
    forget_mastodon = forms.BooleanField(required=False, label="Forget the Mastodon token")

    class Meta:
        model = ReportingSettings
        fields = ["notifier_name", "notifier_email", "dsa_notices", "legal_basis_note",
                  "bluesky_service", "bluesky_handle", "mastodon_instance"]

    def save(self, commit: bool = True) -> ReportingSettings:
        row = super().save(commit=False)
        data = self.cleaned_data
        for secret, forget, field in (
            ("bluesky_app_password", "forget_bluesky", "bluesky_app_password_sealed"),
            ("mastodon_token", "forget_mastodon", "mastodon_token_sealed"),
        ):
            if data[forget]:
                setattr(row, field, "")
            elif data[secret]:
                setattr(row, field, seal(data[secret]))
        if commit:
            row.save()
        return row
