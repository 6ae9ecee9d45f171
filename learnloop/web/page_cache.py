"""Rendered pages and API lists kept per viewer until their organisation's data changes, and
answered with 304 on repeat views (decision 0076; the first attempt, 0075, was rejected).

``PageCacheMiddleware`` keeps the 200 response of the pages named in
``settings.PAGE_CACHE_URL_NAMES`` and the API routes in ``settings.PAGE_CACHE_API_ROUTES`` in the per-process memory cache (``caches["local"]``: never a
file, never shared between processes) for at most ``PAGE_SECONDS``, under a hash of

- the viewer: their user id (the visibility scope is the person: one viewer's page, private
  data included, is never served to anyone else), and for pages their CSRF cookie (the page's
  forms carry a token made from it),
- the path with its query string, and the headers a view may answer differently to (HTMX's,
  ``Accept``),
- the **data version** of the viewer's organisation (``web/data_version.py``): a counter moved
  inside every writing transaction, so nothing is served after a write, by anyone, to anyone.

Never kept: requests with any cookie besides the session and CSRF cookies (a waiting flash
message, a retro's card secrets), pages whose URL names an object by a negative id (anonymous
reports, cards and shared lessons have random negative ids: an anonymous report's page is
never kept under the id of whoever opened it), views that call :func:`do_not_keep`, and
responses that set a cookie, are not 200 HTML or JSON, or say ``no-store``.

The ETag is a hash of the content (weak), so a 304 is only ever given for the very bytes the
viewer already holds; a kept page is answered 304 without running the view.

One render per missing page and process (decision 0077): when a kept page is missing (first
view, or the first view after a write), the first request renders it and the others with the
same key, in the same process, wait for that render (at most ``WAIT_SECONDS``) and are then
served the kept page, instead of all rendering the same bytes at once and queueing behind each
other on two cores. Only the key's hash is shared between the threads; a waiter gets exactly
what a cache hit would give it, and renders itself when the page was not kept.
``LEARNLOOP_PAGE_CACHE=0`` turns the serving off (the data version still moves).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from learnloop.web import data_version

PAGE_SECONDS = 60
#: How long a request waits for another thread's render of the same missing page before it
#: renders the page itself (a render normally takes milliseconds; this bounds a stuck one).
WAIT_SECONDS = 5.0
#: Request headers a view may answer differently to: part of the key.
KEY_HEADERS = (
    "HX-Request",
    "HX-Boosted",
    "HX-Target",
    "HX-Trigger",
    "HX-Trigger-Name",
    "HX-History-Restore-Request",
    "Accept",
)
#: Response headers never replayed from the cache (the outer middleware sets them again).
_NOT_KEPT_HEADERS = frozenset({"set-cookie", "content-length", "date", "etag", "vary"})
_SKIP = "_page_cache_do_not_keep"
_PLAN = "_page_cache_plan"

View = Callable[[HttpRequest], HttpResponse]


def enabled() -> bool:
    return bool(getattr(settings, "LEARNLOOP_PAGE_CACHE", True))


def do_not_keep(request: HttpRequest) -> None:
    """Called by a view whose page must not be kept (e.g. it shows a secret for this browser)."""
    setattr(request, _SKIP, True)


@dataclass
class _Plan:
    key: str
    api: bool
    served: bool = False
    #: This request renders the missing page for the others waiting on its key.
    leading: bool = False


class _Renders:
    """The kept pages being rendered in this process, by key: the first request for a missing
    page leads (renders it), later ones get the leader's event and wait for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[str, threading.Event] = {}

    def lead_or_follow(self, key: str) -> threading.Event | None:
        """None: the caller leads and must call :meth:`done`; else the event to wait on."""
        with self._lock:
            running = self._running.get(key)
            if running is None:
                self._running[key] = threading.Event()
            return running

    def done(self, key: str) -> None:
        """The leader finished (kept or not): wake the waiters."""
        with self._lock:
            running = self._running.pop(key, None)
        if running is not None:
            running.set()


_RENDERS = _Renders()


def etag_of(content: bytes) -> str:
    return 'W/"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _names_a_negative_id(kwargs: dict[str, Any]) -> bool:
    for value in kwargs.values():
        text = str(value)
        if text.startswith("-") and text[1:].isdigit():
            return True
    return False


def _api_viewer(request: HttpRequest) -> Any:
    """The API caller: the personal token's person, else the signed-in session's."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        from learnloop.accounts.services import api_token_authenticate

        return api_token_authenticate(token.strip())
    return request.user


def _key(request: HttpRequest, view_name: str, api: bool) -> str | None:
    """The request's key, or None when its answer must not be kept."""
    extra_cookies = set(request.COOKIES) - {
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
    }
    if extra_cookies:
        return None  # a flash message, a retro's card secrets: state of this browser
    user = _api_viewer(request) if api else getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.organisation_id:
        return None
    csrf = ""
    if not api:
        csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        if not csrf:
            return None  # the page's forms would carry a token this browser does not hold
        if len(get_messages(request)):
            return None  # a message waits in the session: this page shows it once
    parts = [
        "api" if api else "page",
        str(user.pk),
        csrf,
        view_name,
        request.get_full_path(),
        *(request.headers.get(name, "") for name in KEY_HEADERS),
        str(data_version.data_version(user.organisation_id)),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _not_modified(etag: str, api: bool) -> HttpResponse:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    return _validators(response, etag, api)


def _validators(response: HttpResponse, etag: str, api: bool) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Cookie", "Authorization") if api else ("Cookie",))
    return response


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "")
    return not (
        getattr(request, _SKIP, False)
        or response.status_code != 200
        or response.cookies
        or getattr(response, "streaming", False)
        or not content_type.startswith(("text/html", "application/json"))
        or "no-store" in response.get("Cache-Control", "")
    )


class PageCacheMiddleware:
    """Serves kept pages (``process_view``), keeps fresh ones, and attributes the request's
    writes to the viewer's organisation for the data version."""

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response
        self.url_names = frozenset(getattr(settings, "PAGE_CACHE_URL_NAMES", ()))
        self.api_routes = frozenset(getattr(settings, "PAGE_CACHE_API_ROUTES", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            with data_version.attribute_to(request):
                response = self.get_response(request)
            return self._keep(request, response)
        finally:
            plan: _Plan | None = getattr(request, _PLAN, None)
            if plan is not None and plan.leading:
                _RENDERS.done(plan.key)  # after the page was kept (or found not keepable)

    def _keep(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        plan: _Plan | None = getattr(request, _PLAN, None)
        if plan is None or plan.served or not _keepable(request, response):
            return response
        content = response.content
        etag = etag_of(content)
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in _NOT_KEPT_HEADERS
        ]
        caches["local"].set(plan.key, (content, etag, headers), PAGE_SECONDS)
        if etag in request.headers.get("If-None-Match", ""):
            return _not_modified(etag, plan.api)
        return _validators(response, etag, plan.api)

    def process_view(
        self, request: HttpRequest, view: View, args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        match = request.resolver_match
        if request.method != "GET" or match is None or not enabled():
            return None
        api = match.route in self.api_routes
        if not (api or match.view_name in self.url_names) or _names_a_negative_id(kwargs):
            return None
        key = _key(request, match.route if api else match.view_name, api)
        if key is None:
            return None
        plan = _Plan(key, api)
        setattr(request, _PLAN, plan)
        kept = caches["local"].get(key)
        if kept is None:
            running = _RENDERS.lead_or_follow(key)
            if running is None:
                plan.leading = True
                return None  # render it; the same page's other requests wait for this one
            running.wait(WAIT_SECONDS)
            kept = caches["local"].get(key)
            if kept is None:
                return None  # the leader's page was not kept: render this one as well
        plan.served = True
        content, etag, headers = kept
        if etag in request.headers.get("If-None-Match", ""):
            return _not_modified(etag, api)
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        return _validators(response, etag, api)
