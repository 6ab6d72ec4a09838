"""The JSON API under /api/v1/ (docs/api.md): supporters submit flags; the roles that may
read and decide items do so here as in the console, through the same functions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI, Query
from ninja import Status as Answer
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from tropewatch.accounts import roles
from tropewatch.accounts.access import OrgAccess
from tropewatch.detector.taxonomy import load_taxonomy
from tropewatch.posts.models import Detection, Post
from tropewatch.review.access import ItemAccess
from tropewatch.review.decisions import ClaimedByOther, Decision, record
from tropewatch.review.forms import DecisionForm, NoteForm
from tropewatch.review.item_page import current_detection
from tropewatch.review.models import ReviewState
from tropewatch.review.queue import STATUS_FILTERS, QueueFilters, queue, with_details
from tropewatch.review.status import Action, InvalidTransition, Status
from tropewatch.submissions.explainers import explainer_for
from tropewatch.submissions.permalinks import NotAPermalink
from tropewatch.submissions.screenshots import (
    NotAScreenshot,
    ScreenshotTooLarge,
    decode_base64,
    reencode,
)
from tropewatch.submissions.services import Flag, reporter_count, submit

from . import schemas
from .tokens import Caller, caller_for

MAX_PAGE = 100


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        return caller_for(token)


class TokenThrottle(AuthRateThrottle):
    """Per token (``str(Caller)`` is the token's id), at the rate a setting names, read on
    each request so that a deployment's (and a test's) setting applies."""

    def __init__(self, scope: str, setting: str) -> None:
        self.scope, self.setting = scope, setting
        super().__init__(getattr(settings, setting))

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


api = NinjaAPI(
    title="tropewatch", version="1", urls_namespace="api_v1", auth=BearerToken(),
    throttle=[TokenThrottle("read", "API_READ_RATE")],
    description="Flag posts into an organisation's review queue; read and decide items. "
                "Authorization: Bearer <token> (made on the console's API tokens page).",
)
ERRORS = {400: schemas.Error, 401: schemas.Error, 403: schemas.Error, 404: schemas.Error,
          413: schemas.Error, 422: schemas.Error, 429: schemas.Error}


def _detail(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(SchemaError)
def _invalid(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    """One sentence naming each field and what is wrong with it, not pydantic's structure."""
    problems = []
    for error in exc.errors:
        field = ".".join(str(part) for part in error.get("loc", ())[1:] if part != "payload")
        problems.append(f"{field or 'body'}: {error.get('msg', 'invalid')}")
    return _detail(request, "; ".join(problems) or "invalid request", 422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _detail(request, "missing, unknown or revoked API token", 401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def _refused(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _detail(request, str(exc) or "your role may not do this", 403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _detail(request, "no such item", 404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if exc.status_code == 429:
        message = "too many requests with this token: wait as Retry-After says"
    return _detail(request, message, exc.status_code)


def _verdict(detection: Detection | None) -> schemas.Verdict | None:
    if detection is None:
        return None
    return schemas.Verdict(
        antisemitic=detection.antisemitic, score=detection.score,
        categories=[c.get("id", "") for c in detection.categories if isinstance(c, dict)],
        explanation=detection.explanation,
    )


def _explainer(detection: Detection | None, guess: str) -> schemas.Explainer | None:
    category = explainer_for(detection, guess)
    if category is None:
        return None
    return schemas.Explainer(category=category.id, title=category.name, text=category.explainer)


@api.post(
    "/submissions", response={200: schemas.SubmissionOut, 201: schemas.SubmissionOut, **ERRORS},
    throttle=[TokenThrottle("submit", "API_SUBMIT_RATE")], summary="Flag a post",
)
def submit_flag(request: HttpRequest, payload: schemas.SubmissionIn):
    """201 with a new item; 200 when the post was flagged or imported before (``merged``)."""
    caller: Caller = request.auth
    if not roles.can_submit(caller.role):
        raise PermissionDenied("your role may not submit posts")
    category = payload.category or ""
    if category and category not in load_taxonomy().ids:
        raise HttpError(422, f"category: unknown category id {category!r}")
    pixels = None
    if payload.screenshot:
        try:
            pixels = reencode(decode_base64(payload.screenshot))
        except ScreenshotTooLarge as exc:
            raise HttpError(413, str(exc)) from exc
        except NotAScreenshot as exc:
            raise HttpError(422, str(exc)) from exc
    flag = Flag(
        platform=payload.platform, url=payload.url, seen_at=payload.seen_at, text=payload.text,
        author_handle=payload.author_handle, author_name=payload.author_name,
        platform_id=payload.platform_id, posted_at=payload.posted_at, note=payload.note,
        category=category, screenshot=pixels,
    )
    try:
        flagged = submit(caller.org, caller.user, flag)
    except NotAPermalink as exc:
        raise HttpError(422, str(exc)) from exc
    status_url = request.build_absolute_uri(
        reverse("submissions:item", args=[caller.org.slug, flagged.post.pk])
    )
    return Answer(200 if flagged.merged else 201, schemas.SubmissionOut(
        item_id=flagged.post.pk, merged=flagged.merged, reporters=flagged.reporters,
        verdict=_verdict(flagged.detection),
        explainer=_explainer(flagged.detection, category), status_url=status_url,
    ))


def _item_access(caller: Caller) -> ItemAccess:
    if not roles.reads_console(caller.role):
        raise PermissionDenied("reporters see only their own submissions")
    return ItemAccess.of(OrgAccess(org=caller.org, role=caller.role, user=caller.user))


def _item(post: Post, detection: Detection | None, status: str, reporters: int,
          access: ItemAccess) -> schemas.ItemOut:
    item = schemas.ItemOut(
        id=post.pk, platform=post.platform, text=post.text, created_at=post.created_at,
        status=status, verdict=_verdict(detection), reporters=reporters,
    )
    if access.personal_data:
        item.url = post.url
        if post.author is not None:
            item.author = schemas.Author(handle=post.author.handle,
                                         name=post.author.display_name)
    return item


@api.get("/items", response={200: list[schemas.ItemOut], **ERRORS}, summary="The queue")
def list_items(request: HttpRequest, status: str = Query("pending"),
               limit: int = Query(50, ge=1, le=MAX_PAGE), offset: int = Query(0, ge=0,
                                                                                le=100_000)):
    """Items in queue order (the console's priority), ``status``: one of pending (open or
    escalated), open, escalated, confirmed, dismissed, all."""
    caller: Caller = request.auth
    access = _item_access(caller)
    if status not in STATUS_FILTERS:
        raise HttpError(422, f"status: one of {', '.join(STATUS_FILTERS)}")
    ranked = queue(caller.org, caller.user, QueueFilters(status=status))
    ids = list(ranked.values_list("pk", flat=True)[offset : offset + limit])
    return [_item(d.post, d, d.status, d.reporters, access) for d in with_details(ids)]


def _post(caller: Caller, item_id: int) -> Post:
    post = Post.objects.select_related("org", "author").filter(org=caller.org, pk=item_id).first()
    if post is None:
        raise Http404
    return post


def _status(post: Post) -> str:
    state = ReviewState.objects.filter(post=post).first()
    return state.status if state else Status.OPEN.value


@api.get("/items/{item_id}", response={200: schemas.ItemOut, **ERRORS}, summary="One item")
def get_item(request: HttpRequest, item_id: int):
    caller: Caller = request.auth
    access = _item_access(caller)
    post = _post(caller, item_id)
    return _item(post, current_detection(post), _status(post), reporter_count(post), access)


@api.post("/items/{item_id}/decisions", response={201: schemas.DecisionOut, 409: schemas.Error,
                                                   **ERRORS}, summary="Decide an item")
def decide(request: HttpRequest, item_id: int, payload: schemas.DecisionIn):
    """As the console's decision panel: the same roles, rules and review log."""
    caller: Caller = request.auth
    access = _item_access(caller)
    post = _post(caller, item_id)
    action = Action(payload.action)
    access.require(action)
    data = payload.dict()
    form = NoteForm(data) if action == Action.NOTE else DecisionForm(data)
    if not form.is_valid():
        raise HttpError(422, "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()
        ))
    clean = form.cleaned_data
    decision = Decision(
        action, categories=clean.get("categories", ()) if action == Action.CONFIRM else (),
        reason=clean.get("reason", "") if action == Action.DISMISS else "",
        note=clean.get("note", ""),
    )
    try:
        record(caller.org, post.pk, caller.user, caller.role, decision)
    except (InvalidTransition, ClaimedByOther) as refusal:
        return Answer(409, {"detail": str(refusal)})
    return Answer(201, schemas.DecisionOut(item_id=post.pk, status=_status(post)))
