from __future__ import annotations

from django import forms

from .status import ACTION_NAMES, OUTCOME_NAMES, CaseAction


class CaseActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a.value, n) for a, n in ACTION_NAMES.items()]
                               + [(CaseAction.NOTE.value, "Add a note"),
                                  (CaseAction.ADD_POSTS.value, "Add newly confirmed posts")])
    outcome = forms.ChoiceField(choices=[("", "—")] + [(o.value, n)
                                                      for o, n in OUTCOME_NAMES.items()],
                                required=False)
    note = forms.CharField(max_length=5000, required=False, widget=forms.Textarea)
