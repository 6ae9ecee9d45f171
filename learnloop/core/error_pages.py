"""Error answers outside a view: the one JSON error shape under ``/api/``, a page elsewhere
(docs/decisions/0012-input-validation.md).

Used by the request guard (body size, NUL in the URL, query or form), the API's error-shape
net (Django's own 404 / 405 / 400 / 500 answers under ``/api/``) and the CSRF failure view.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import TemplateDoesNotExist, loader

from learnloop.core.errors import error_body

API_PREFIX = "/api/"

#: The ``code`` and a plain ``message`` for each status the edge answers itself.
STATUS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "The request could not be read."),
    401: ("unauthenticated", "Sign in or send a personal API token."),
    403: ("permission_denied", "You do not have permission to do this."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This address does not accept this method."),
    413: ("too_large", "The request body is too large."),
    429: ("rate_limited", "Too many requests; try again later."),
    500: ("server_error", "Something went wrong on our side; it has been logged."),
}


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(
    status: int,
    code: str | None = None,
    message: str | None = None,
    fields: dict[str, Any] | None = None,
) -> JsonResponse:
    default_code, default_message = STATUS_ERRORS.get(status, ("error", "The request failed."))
    return JsonResponse(
        error_body(code or default_code, message or default_message, fields), status=status
    )


def error_page(
    request: HttpRequest,
    status: int,
    message: str | None = None,
    fields: dict[str, Any] | None = None,
) -> HttpResponse:
    """``<status>.html`` (web/templates), with the message and per-field messages."""
    _, default_message = STATUS_ERRORS.get(status, ("error", "The request failed."))
    context = {"message": message or default_message, "fields": fields or {}, "status": status}
    try:
        template = loader.get_template(f"{status}.html")
    except TemplateDoesNotExist:
        template = loader.get_template("400.html")
    return HttpResponse(template.render(context, request), status=status)


def error_response(
    request: HttpRequest,
    status: int,
    *,
    code: str | None = None,
    message: str | None = None,
    fields: dict[str, Any] | None = None,
) -> HttpResponse:
    """The one JSON error shape for the API, an error page for the web."""
    if is_api(request):
        return api_error(status, code, message, fields)
    return error_page(request, status, message, fields)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the one shape under /api/, a page that says what to do elsewhere."""
    return error_response(
        request,
        403,
        code="csrf_failed",
        message="The form expired or came from another site: reload the page and try again."
        if not is_api(request)
        else "CSRF check failed: send the X-CSRFToken header with a session, or use a token.",
    )
