"""Erasure and retention in the console, for admins: the same service the command line uses
(``tropewatch erase`` and ``tropewatch purge``), each behind a confirmation that is typed,
not clicked, because neither can be undone."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tropewatch.accounts.access import OrgAccess, admin_access
from tropewatch.accounts.models import AdminAction
from tropewatch.accounts.team import log
from tropewatch.posts.models import PLATFORM_CHOICES, Author

from .erasure import NoSuchAuthor, author_to_erase, erase_author, past_retention, purge_dismissed


class EraseForm(forms.Form):
    platform = forms.ChoiceField(choices=PLATFORM_CHOICES)
    author = forms.CharField(max_length=300, label="Handle or platform id")
    confirm = forms.CharField(max_length=300, required=False,
                              label="Type the handle again to erase")


class PurgeForm(forms.Form):
    confirm = forms.IntegerField(min_value=0, label="Type the number of posts to erase")


def confirmation_word(author: Author) -> str:
    """What an admin types to confirm: the handle without its @, or the platform id."""
    return author.handle.lstrip("@") or author.platform_id


def _page(request: HttpRequest, access: OrgAccess, **shown) -> HttpResponse:
    shown.setdefault("erase_form", EraseForm())
    shown.setdefault("purge_form", PurgeForm())
    return render(request, "people/privacy.html", {
        "member": access, "org": access.org, "due": past_retention(access.org).count(),
        **shown,
    })


@login_required
def privacy_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    return _page(request, admin_access(request, org_slug))


@require_POST
@login_required
def erase_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    """First the author is found and described; erased only once the handle is typed."""
    access = admin_access(request, org_slug)
    form = EraseForm(request.POST)
    if not form.is_valid():
        return _page(request, access, erase_form=form)
    try:
        author = author_to_erase(access.org, form.cleaned_data["platform"],
                                 form.cleaned_data["author"])
    except NoSuchAuthor as exc:
        form.add_error("author", str(exc))
        return _page(request, access, erase_form=form)
    typed = form.cleaned_data["confirm"].strip().lstrip("@")
    word = confirmation_word(author)
    if typed.casefold() != word.casefold():
        if typed:
            form.add_error("confirm", f"That is not '{word}': nothing was erased.")
        return _page(request, access, erase_form=form, author=author, word=word,
                     posts=author.posts.count())
    erased = erase_author(author)
    log(access, AdminAction.AUTHOR_ERASED, "",
        f"{author.platform}: {erased.posts} posts, {erased.cases} cases")
    messages.success(request, f"Erased the author: {erased.posts} posts, "
                     f"{erased.chained_records} chained records kept as tombstones (hashes "
                     f"only), {erased.cases} cases.")
    return redirect("people:privacy", org_slug=access.org.slug)


@require_POST
@login_required
def purge_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = admin_access(request, org_slug)
    form = PurgeForm(request.POST)
    due = past_retention(access.org).count()
    if form.is_valid() and not due:
        form.add_error("confirm", "No dismissed posts are past the retention period now.")
    elif form.is_valid() and form.cleaned_data["confirm"] != due:
        form.add_error("confirm", f"{due} posts are due now, not {form.cleaned_data['confirm']}: "
                       "nothing was erased.")
    if not form.is_valid():
        return _page(request, access, purge_form=form)
    erased = purge_dismissed(access.org)
    log(access, AdminAction.DISMISSED_PURGED, "",
        f"{erased} posts dismissed over {access.org.retain_dismissed_days} days ago")
    messages.success(request, f"{erased} dismissed posts erased under the retention policy.")
    return redirect("people:privacy", org_slug=access.org.slug)
