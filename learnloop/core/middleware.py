"""Response headers Django does not set itself (Content-Security-Policy, Permissions-Policy),
the request guard and the API's error-shape net (docs/decisions/0012-input-validation.md)."""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from learnloop.core import error_pages
from learnloop.core.validation import text_problem


# No inline scripts anywhere: every script is a static file, so 'self' is enough. HTMX injects
# a small indicator style, hence the style hash-free 'unsafe-inline' for styles only.
@functools.cache
def content_security_policy(form_action_origins: tuple[str, ...] = ()) -> str:
    """The policy; ``form_action_origins`` are other origins a form's answer may redirect to
    (browsers apply ``form-action`` to the redirects after a form is sent)."""
    form_action = " ".join(["'self'", *form_action_origins])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
        f"base-uri 'self'; form-action {form_action}; frame-ancestors 'none'"
    )


CSP = content_security_policy()
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        origins = tuple(getattr(settings, "CSP_FORM_ACTION_ORIGINS", ()))
        response.headers.setdefault("Content-Security-Policy", content_security_policy(origins))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        return response


def _content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _bad_parameter(request: HttpRequest) -> tuple[str, str] | None:
    """``(field, problem)`` for the first NUL or lone surrogate in the path, the query string
    or a form body; None when there is none."""
    problem = text_problem(request.path)
    if problem:
        return "path", problem
    sources = [request.GET]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        request.body  # noqa: B018 - read (and keep) the body first: views may still read it
        sources.append(request.POST)
    for params in sources:
        for key, values in params.lists():
            for text in (key, *values):
                problem = text_problem(text)
                if problem:
                    return key if text_problem(key) is None else "__all__", problem
    return None


class RequestGuardMiddleware:
    """Refuses what no view should see, before any view reads it: a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413) and a NUL character or lone surrogate in the path,
    a query parameter or a form field (400 naming it). The API answers in the one JSON error
    shape, the web with an error page. Place it after the authentication middleware (the
    page shows the signed-in navigation) and before CSRF (which reads the form)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and _content_length(request) > limit:
            return error_pages.error_response(
                request,
                413,
                message=f"The request body is larger than the limit of {limit:,} bytes.",
            )
        bad = _bad_parameter(request)
        if bad:
            field, problem = bad
            return error_pages.error_response(
                request,
                400,
                code="invalid",
                message=f"{field}: {problem}",
                fields={field: [problem]},
            )
        return self.get_response(request)


class ApiErrorShapeMiddleware:
    """Under ``/api/``, any error answer that is not already JSON — Django's 404 for an unknown
    address or an id the route refuses (``/api/actions/-1``), ninja's 405, a 400, a 500 —
    becomes the one error shape with the same status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and error_pages.is_api(request)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            shaped = error_pages.api_error(response.status_code)
            if response.has_header("Allow"):
                shaped["Allow"] = response["Allow"]
            return shaped
        return response


@functools.cache
def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class UserTimeZoneMiddleware:
    """Times are shown and entered in the signed-in person's own time zone (``time_zone`` on
    their account, a zoneinfo name), else the server's; they are stored in UTC either way."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        name = getattr(user, "time_zone", "") if getattr(user, "is_authenticated", False) else ""
        zone = _zone(name) if name else None
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
