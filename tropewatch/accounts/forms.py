"""Login (password and, where set up, a one-time code), two-factor codes and invitations."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib.auth import authenticate, user_login_failed
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest
from django.utils import timezone
from django_otp import user_has_device

from . import two_factor
from .roles import Role


class CodeField(forms.CharField):
    """A 6-digit code from the app or, where ``recovery``, an 8-character recovery code too
    (a phone then shows its full keyboard rather than the digits)."""

    def __init__(self, recovery: bool = False, **kwargs) -> None:
        attrs = {"autocomplete": "one-time-code", "maxlength": "9"}
        if recovery:
            attrs |= {"pattern": "[0-9A-Za-z ]*", "autocapitalize": "none", "spellcheck": "false"}
        else:
            attrs |= {"inputmode": "numeric", "pattern": "[0-9 ]*"}
        super().__init__(max_length=9, widget=forms.TextInput(attrs=attrs), **kwargs)

    def clean(self, value: str | None) -> str:
        # Apps show "123 456", and people copy recovery codes in capitals: both mean the same.
        return super().clean((value or "").replace(" ", "").lower())


class LoginForm(forms.Form):
    username = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username",
                                                      "autofocus": True})
    )
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = CodeField(
        recovery=True, required=False, label="Code from your authenticator app",
        help_text="Leave empty if you have not set up two-factor login yet. Lost your phone? "
                  "Enter one of your recovery codes.",
    )

    def __init__(self, request: HttpRequest, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None
        self.device = None

    def clean(self) -> dict:
        data = super().clean()
        username, password = data.get("username"), data.get("password")
        if not username or not password:
            return data
        # request is passed so that django-axes counts failures and locks out guessers.
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            raise forms.ValidationError(
                "That username and password do not match, or there were too many attempts: "
                "wait a while and try again."
            )
        if user_has_device(user, confirmed=True):
            code = data.get("code", "")
            self.device = two_factor.device_for_code(user, code)
            refused = (two_factor.refusal(self.device, code) if code else
                       "Enter the current 6-digit code from your authenticator app.")
            if refused:
                # A wrong or missing code is a failed login too, so codes cannot be guessed
                # faster than passwords.
                user_login_failed.send(
                    sender=__name__, credentials={"username": username}, request=self.request
                )
                raise forms.ValidationError(refused)
        self.user = user
        return data


class CodeForm(forms.Form):
    code = CodeField(label="6-digit code from your authenticator app")


class RecoveryCodeForm(forms.Form):
    code = CodeField(recovery=True, label="One of your recovery codes")


class InvitationForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MODERATOR)
    invitee = forms.CharField(
        max_length=200, required=False, label="Who it is for (a reminder for you)",
    )
    email = forms.EmailField(
        required=False, label="Email it to (optional)",
        help_text="The link is emailed there, and shown here too.",
    )


class BulkInvitationForm(forms.Form):
    addresses = forms.FileField(
        label="CSV of email addresses",
        help_text="An 'email' column under a header, or one address per line.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.REPORTER)


MAX_SIGNUP_LINK_DAYS = 366


class SignupLinkForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, initial=Role.REPORTER)
    expires_on = forms.DateField(
        label="Works until (the end of)",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=lambda: timezone.localdate() + timedelta(days=14),
    )
    max_uses = forms.IntegerField(label="How many people may join by it", min_value=1,
                                  max_value=10_000, initial=50)

    def clean_expires_on(self) -> date:
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError("That day is past: choose today or a later day.")
        if day > today + timedelta(days=MAX_SIGNUP_LINK_DAYS):
            raise forms.ValidationError("At most a year ahead: make a new link after that.")
        return day

    def expires_at(self) -> datetime:
        """The end of the chosen day, in the deployment's time zone."""
        end = datetime.combine(self.cleaned_data["expires_on"] + timedelta(days=1), time())
        return timezone.make_aware(end)


class JoinForm(UserCreationForm):
    """A new account: a username, a password, and the address its password is reset by."""

    email = forms.EmailField(
        required=False, label="Email (optional)",
        help_text="Only to reset your password if you forget it.",
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class SetupForm(UserCreationForm):
    """A fresh deployment's first organisation and its first admin's account."""

    org_name = forms.CharField(max_length=200, label="Organisation's name")
    org_slug = forms.SlugField(
        max_length=50, label="Short name for addresses",
        help_text="Letters, digits, hyphens and underscores: the console's pages are under "
                  "/o/<short name>/.",
    )
    email = forms.EmailField(
        label="Your email", help_text="To reset your password if you forget it.",
    )

    field_order = ["org_name", "org_slug", "username", "email", "password1", "password2"]

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")
