"""Login (password and, where set up, a one-time code), two-factor codes and invitations."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, user_login_failed
from django.http import HttpRequest
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


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
