"""Login (password and, where set up, a one-time code), two-factor codes and invitations."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, user_login_failed
from django.http import HttpRequest
from django_otp import match_token, user_has_device

from .roles import Role

_CODE_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*",
           "maxlength": "8"}
)


class CodeField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=8, widget=_CODE_WIDGET, **kwargs)

    def clean(self, value: str | None) -> str:
        # Apps show "123 456"; people type it that way.
        return super().clean((value or "").replace(" ", ""))


class LoginForm(forms.Form):
    username = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username",
                                                      "autofocus": True})
    )
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = CodeField(
        required=False, label="Code from your authenticator app",
        help_text="Leave empty if you have not set up two-factor login yet.",
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
            self.device = match_token(user, data.get("code", ""))
            if self.device is None:
                # A wrong or missing code is a failed login too, so codes cannot be guessed
                # faster than passwords.
                user_login_failed.send(
                    sender=__name__, credentials={"username": username}, request=self.request
                )
                raise forms.ValidationError(
                    "Enter the current 6-digit code from your authenticator app."
                )
        self.user = user
        return data


class CodeForm(forms.Form):
    code = CodeField(label="6-digit code from your authenticator app")


class InvitationForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MODERATOR)
    invitee = forms.CharField(
        max_length=200, required=False, label="Who it is for (a reminder for you)",
    )
