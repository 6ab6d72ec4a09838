"""The allies' side, without an account: answering a call and unsubscribing, each through a
signed link (links.py). Opening a link shows one button and changes nothing, because mail
scanners open every link in a message; pressing the button records the answer. The POST is
exempt from CSRF: the token in the address is what proves who is asking, and recording the
same answer twice changes nothing."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .links import answer_ally, unsubscribe_ally
from .messages import ANSWER_LABELS
from .models import Ally, AllyResponse, CallToAction, Delivery


@csrf_exempt
@require_http_methods(["GET", "POST"])
def answer_view(request: HttpRequest, call_id: int, answer: str, token: str) -> HttpResponse:
    ally_id = answer_ally(token, call_id, answer)
    if ally_id is None or answer not in AllyResponse.Answer.values:
        raise Http404("This link is not valid.")
    call = get_object_or_404(CallToAction.objects.select_related("org"), pk=call_id)
    ally = get_object_or_404(Ally, pk=ally_id, org=call.org)  # gone once erased
    recorded = False
    if request.method == "POST":
        AllyResponse.objects.get_or_create(org=call.org, call=call, ally=ally, answer=answer)
        recorded = True
    return render(request, "allies/answer.html", {
        "org": call.org, "label": ANSWER_LABELS[answer], "recorded": recorded,
        "already": not recorded and AllyResponse.objects.filter(
            call=call, ally=ally, answer=answer).exists()})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    ally_id = unsubscribe_ally(token)
    if ally_id is None:
        raise Http404("This link is not valid.")
    ally = get_object_or_404(Ally.objects.select_related("org"), pk=ally_id)
    if request.method == "POST" and ally.subscribed:
        with transaction.atomic():
            ally.unsubscribed_at = timezone.now()
            ally.save(update_fields=["unsubscribed_at"])
            # Nothing more reaches them, digests and retries waiting included.
            Delivery.objects.filter(ally=ally, status=Delivery.Status.PENDING).delete()
    return render(request, "allies/unsubscribe.html", {
        "org": ally.org, "subscribed": ally.subscribed})
