"""The one API instance. Each domain contributes a router (``<app>/api.py``); this file composes
them. Authentication: a personal token (``Authorization: Bearer ll_...``) or the browser
session (with CSRF). Every error has one shape: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from learnloop.accounts.models import User
from learnloop.accounts.services import api_token_authenticate
from learnloop.api.docs import LocalSwagger
from learnloop.api.types import unknown_fields_noted
from learnloop.core.error_pages import STATUS_ERRORS
from learnloop.core.errors import ApplicationError, PermissionDenied, error_body
from learnloop.core.validation import check_json_values, unknown_field_message


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class CsrfFailed(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(
            "CSRF check failed: send the X-CSRFToken header with a session, or use a token."
        )
        self.code = "csrf_failed"


class SessionAuth(APIKeyCookie):
    """The browser session. Without a signed-in session there is nothing to check a CSRF
    token for: the request is unauthenticated (401). A signed-in session writing without a
    valid CSRF token gets 403 ``csrf_failed``. Both in the one error shape."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed()
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


class JsonObjectParser(Parser):
    """Every request body in this API is a JSON object; a list, a number or ``null`` is refused
    (400) rather than read as "no fields given". A NUL character or a lone surrogate in any key
    or string, and a number beyond 64 bits, is refused naming the field (e.g. ``tags.0``;
    decisions/0012)."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ApplicationError(
                "The body must be a JSON object.", fields={"__all__": ["Send a JSON object."]}
            )
        check_json_values(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        """A parameter that takes one value and is given twice is refused (400), naming it,
        rather than read as its last value."""
        repeated = [
            k
            for k in data
            if k not in list_fields
            and not k.startswith(IGNORED_PREFIX)
            and len(data.getlist(k)) > 1
        ]
        if repeated:
            raise ApplicationError(
                "A parameter was given more than once.",
                fields={k: ["Give this parameter once."] for k in repeated},
            )
        parsed: dict[str, Any] = super().parse_querydict(data, list_fields, request)
        return parsed


#: A query parameter whose name starts with this is not read and not refused: room for a
#: client's cache-buster (jQuery's ``_=1733412345``; decision 0235).
IGNORED_PREFIX = "_"


def refuse_unknown_query_parameters(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an operation so that a query parameter it does not declare is refused (400,
    naming it), rather than read as "no filter": ``?staus=open`` would list every status.
    Names starting with ``IGNORED_PREFIX`` pass. Runs after authentication and validation,
    like the check for a parameter given twice (``JsonObjectParser.parse_querydict``)."""
    operation = view_func._ninja_operation  # type: ignore[attr-defined]  # set by ninja
    known = frozenset(
        name
        for model in operation.models
        if model.__ninja_param_source__ == "query"
        for name in model.__ninja_flatten_map__
    )

    @functools.wraps(view_func)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        unknown = [k for k in request.GET if k not in known and not k.startswith(IGNORED_PREFIX)]
        if unknown:
            raise ApplicationError(
                "A query parameter is not one this operation takes; nothing was done. Names "
                f'starting with "{IGNORED_PREFIX}" are ignored (for cache-busters).',
                fields={k: [unknown_field_message(k, known, kind="parameter")] for k in unknown},
            )
        return view_func(request, *args, **kwargs)

    return checked


api = NinjaAPI(
    title="Learnloop API",
    version="1",
    description="Incidents, reviews, actions, lessons and teams. Authenticate with a personal token "
    "from your account page: `Authorization: Bearer ll_...`.",
    auth=[TokenAuth(), SessionAuth()],
    parser=JsonObjectParser(),
    urls_namespace="api",
    docs_url="/docs",
    docs=LocalSwagger(),
)


api.add_decorator(refuse_unknown_query_parameters, mode="operation")


def _error(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, Any] | None = None
) -> HttpResponse:
    return api.create_response(request, error_body(code, message, fields), status=status)


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    # as_dict() is the one shape; a stale save (StaleVersion) adds "current_version".
    return api.create_response(request, exc.as_dict(), status=exc.status)


def _field_path(loc: Sequence[Any]) -> str:
    """``("body", "payload", "columns", 0, "title")`` → ``columns.0.title``: the parameter's
    source and the body's parameter name are ninja's, not the client's."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == "payload":
            parts.pop(0)
    return ".".join(str(p) for p in parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    noted = unknown_fields_noted(request)
    unknown = False
    for err in exc.errors:
        loc = err.get("loc", ())
        message = err.get("msg", "invalid")
        if err.get("type") == "extra_forbidden" and loc:
            unknown = True
            message = unknown_field_message(str(loc[-1]), noted.get(str(loc[-1]), ()))
        fields.setdefault(_field_path(loc), []).append(message)
    summary = (
        "The request has fields this operation does not take (see /api/docs); nothing was saved."
        if unknown
        else "The request has invalid fields."
    )
    return _error(request, 422, "invalid", summary, fields)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request,
        401,
        "unauthenticated",
        "Authenticate with a personal API token (Authorization: Bearer ...) or a signed-in session.",
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Not found.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ApplicationError):  # raised while parsing the body
        return on_application_error(request, exc.__cause__)
    code, _ = STATUS_ERRORS.get(exc.status_code, ("error", ""))
    return _error(request, exc.status_code, code, str(exc))


from learnloop.accounts.api import router as accounts_router  # noqa: E402
from learnloop.accounts.api_sso import router as sso_router  # noqa: E402
from learnloop.actions.api import router as actions_router  # noqa: E402
from learnloop.applause.api import router as applause_router  # noqa: E402
from learnloop.calendars.api import router as calendars_router  # noqa: E402
from learnloop.chat.api import router as chat_router  # noqa: E402
from learnloop.coach.api import router as coach_router  # noqa: E402
from learnloop.debriefs.api import router as debriefs_router  # noqa: E402
from learnloop.drills.api import router as drills_router  # noqa: E402
from learnloop.drills.api_pledge import router as pledges_router  # noqa: E402
from learnloop.experiments.api import router as experiments_router  # noqa: E402
from learnloop.experiments.api_portfolio import router as portfolio_router  # noqa: E402
from learnloop.experiments.api_showcase import router as showcase_router  # noqa: E402
from learnloop.incidents.api import router as incidents_router  # noqa: E402
from learnloop.journal.api import router as journal_router  # noqa: E402
from learnloop.lessons.api import router as lessons_router  # noqa: E402
from learnloop.metrics.api import router as metrics_router  # noqa: E402
from learnloop.notifications.api import router as notifications_router  # noqa: E402
from learnloop.retros.api import router as retros_router  # noqa: E402
from learnloop.reviews.api import router as reviews_router  # noqa: E402
from learnloop.reviews.api_meeting_comments_export import router as reviews_meeting_router  # noqa: E402
from learnloop.reviews.api_team_settings import router as team_settings_router  # noqa: E402
from learnloop.search.api import router as search_router  # noqa: E402
from learnloop.surveys.api import router as surveys_router  # noqa: E402
from learnloop.transcripts.api import router as transcripts_router  # noqa: E402
from learnloop.transfer.api import router as transfer_router  # noqa: E402
from learnloop.webhooks.api import router as webhooks_router  # noqa: E402

api.add_router("/", accounts_router)
api.add_router("/incidents", incidents_router)
api.add_router("/reviews", reviews_router)
api.add_router("/reviews", reviews_meeting_router)
api.add_router("/", team_settings_router)
api.add_router("/actions", actions_router)
api.add_router("/notifications", notifications_router)
api.add_router("/lessons", lessons_router)
api.add_router("/search", search_router)
api.add_router("/coach", coach_router)
api.add_router("/surveys", surveys_router)
api.add_router("/debriefs", debriefs_router)
api.add_router("/applause", applause_router)
api.add_router("/webhooks", webhooks_router)
api.add_router("/chat", chat_router)
api.add_router("/retros", retros_router)
api.add_router("/calendars", calendars_router)
api.add_router("/transfer", transfer_router)
api.add_router("/journal", journal_router)
api.add_router("/drills", drills_router)
api.add_router("/pledges", pledges_router)
api.add_router("/experiments", portfolio_router)
api.add_router("/experiments", showcase_router)
api.add_router("/experiments", experiments_router)
api.add_router("/transcripts", transcripts_router)
api.add_router("/metrics", metrics_router)
api.add_router("/organisation", sso_router)
