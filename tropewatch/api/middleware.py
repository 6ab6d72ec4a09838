from __future__ import annotations

import io
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

API_PREFIX = "/api/"


class ApiRequestMiddleware:
    """For /api/ only: refuse a body over API_MAX_BODY_BYTES with a 413 that says so (Django's
    own limit answers a bare 400, and is set for the console's forms, far below a screenshot),
    and keep no copy of any answer (items hold hateful text and who wrote it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        limit = settings.API_MAX_BODY_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return _too_large(limit)
        # Read here, at most one byte past the limit, so the API parses the body from memory
        # and Django's smaller form limit does not apply to it.
        body = request.read(limit + 1)
        if len(body) > limit:
            return _too_large(limit)
        request._body = body
        request._stream = io.BytesIO(body)
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


def _too_large(limit: int) -> JsonResponse:
    return JsonResponse(
        {"detail": f"request body is larger than {limit // (1024 * 1024)} MB"}, status=413
    )
