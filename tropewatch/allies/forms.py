from __future__ import annotations

from django import forms

from .models import Ally
from .webhooks import webhook_url_problem


class AllyForm(forms.ModelForm):
    webhook_url = forms.URLField(label="Webhook address", max_length=500, required=False,
                                 assume_scheme="https")

    class Meta:
        model = Ally
        fields = ["name", "email", "webhook_url", "webhook_format", "frequency", "quiet_from",
                  "quiet_until", "time_zone"]
        labels = {"quiet_from": "Quiet from (HH:MM)",
                  "quiet_until": "Quiet until (HH:MM)"}
        widgets = {"quiet_from": forms.TimeInput(attrs={"type": "time"}),
                   "quiet_until": forms.TimeInput(attrs={"type": "time"})}

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("webhook_url") and not self.errors:
            raise forms.ValidationError("Give an email address, a webhook address, or both.")
        if data.get("webhook_url"):
            problem = webhook_url_problem(data["webhook_url"])
            if problem:
                self.add_error("webhook_url", problem)
            if not data.get("webhook_format"):
                self.add_error("webhook_format", "Say which chat service the webhook is for.")
        if (data.get("quiet_from") is None) != (data.get("quiet_until") is None):
            self.add_error("quiet_until", "Give both ends of the quiet hours, or neither.")
        return data


class CallForm(forms.Form):
    allies = forms.ModelMultipleChoiceField(queryset=Ally.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, org, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only this organisation's allies who still want calls can be chosen.
        self.fields["allies"].queryset = Ally.objects.filter(org=org, unsubscribed_at=None)
