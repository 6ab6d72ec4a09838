from __future__ import annotations

from django import forms

from tropewatch.detector.replies import TONES

from .models import MAX_REPLY_CHARS


class ApproveForm(forms.Form):
    tone = forms.ChoiceField(choices=[(tone, tone) for tone in TONES])
    text = forms.CharField(max_length=MAX_REPLY_CHARS, strip=True,
                           widget=forms.Textarea(attrs={"rows": 6}))


class PostedForm(forms.Form):
    # Only web addresses: the log links to it, and a javascript: URL must never be a link.
    url = forms.URLField(max_length=500, assume_scheme="https",
                         help_text="The address of the reply as posted.")
