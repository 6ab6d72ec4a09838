"""The console's "Submit a link" form: what the API takes, typed in by hand (or pre-filled
by the phone's share sheet), checked field by field."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from tropewatch.detector.taxonomy import load_taxonomy
from tropewatch.posts.models import PLATFORM_CHOICES

from .permalinks import MAX_URL_LENGTH, NotAPermalink, normalise_url
from .screenshots import MAX_BYTES, NotAScreenshot, ScreenshotTooLarge, reencode
from .services import Flag

# Files are what importers read; a supporter flags a post on a site.
_FILE_PLATFORMS = {"csv", "jsonl"}


def _category_choices() -> list[tuple[str, str]]:
    return [("", "I am not sure")] + [(c.id, c.name) for c in load_taxonomy().categories]


class LinkForm(forms.Form):
    platform = forms.ChoiceField(
        choices=[choice for choice in PLATFORM_CHOICES if choice[0] not in _FILE_PLATFORMS])
    url = forms.CharField(label="Link to the post", max_length=MAX_URL_LENGTH,
                          help_text="tropewatch never opens it: it only records the address.")
    text = forms.CharField(label="What the post says", required=False, max_length=20_000,
                           widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}))
    author_handle = forms.CharField(label="Author's handle", required=False, max_length=300)
    author_name = forms.CharField(label="Author's name", required=False, max_length=300)
    note = forms.CharField(label="Your note for the moderators", required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label="Which trope, if you know", required=False,
                                 choices=_category_choices)
    screenshot = forms.FileField(
        required=False, help_text=f"PNG or JPEG, at most {MAX_BYTES // (1024 * 1024)} MB.")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            normalise_url(url)  # only the text: the address is never fetched
        except NotAPermalink as exc:
            raise forms.ValidationError(f"{exc}.") from exc
        return url

    def clean_screenshot(self):
        """Pixels written again by Pillow (``screenshots.reencode``), or None."""
        upload = self.cleaned_data["screenshot"]
        if not upload:
            return None
        if upload.size > MAX_BYTES:  # before reading a byte of it
            raise forms.ValidationError(
                f"The screenshot is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        try:
            return reencode(upload.read())
        except (NotAScreenshot, ScreenshotTooLarge) as exc:
            raise forms.ValidationError(f"The {exc}.") from exc

    def flag(self) -> Flag:
        data = self.cleaned_data
        return Flag(
            platform=data["platform"], url=data["url"], seen_at=timezone.now(),
            text=data["text"], author_handle=data["author_handle"],
            author_name=data["author_name"], note=data["note"], category=data["category"],
            screenshot=data["screenshot"],
        )
