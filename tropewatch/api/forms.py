from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="What it is for",
                           help_text="For example: browser extension on my laptop.")
