"""Rendered pages kept per viewer until the data changes, and answered with 304 on repeat views
(decision 0075).

``@cached_page`` on a GET view keeps its rendered 200 response in the per-process memory cache
(``caches["local"]``, never a disk: decision 0010) under a key made of

- the viewer (their user id: the visibility scope is the person, so one viewer's page, private
  data included, is never served to anyone else) and their CSRF cookie (forms carry its token),
- the path with its query string and the HTMX headers (a fragment is not the page),
- the **data version**: one value in the shared cache, replaced by every write (any model's
  save, delete or many-to-many change, and every unsafe HTTP request), so a page is never
  served after a write, by anyone, to anyone (read-your-writes included).

The key's hash is the page's ETag; a repeat view that sends it back gets 304 Not Modified
without the view running. Pages live at most ``PAGE_SECONDS`` (relative dates and "overdue"
move with the clock, not the data). ``LEARNLOOP_PAGE_CACHE=0`` turns it off; the test suite
runs with it off (views' own tests read ``response.context``) except in its own tests. Responses that set a cookie, are not 200 HTML, or come
while a flash message waits are never kept.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

PAGE_SECONDS = 60
VERSION_KEY = "learnloop:data-version"
#: Writes that change no page: sessions, sign-in attempts, the job queue, counters, logs.
_QUIET_APPS = frozenset({"sessions", "axes", "tasks", "admin", "contenttypes"})
_QUIET_MODELS = frozenset({"core.ratelimitwindow", "core.ratelimitcount"})

View = Callable[..., HttpResponse]


def data_version() -> str:
    return str(caches["default"].get(VERSION_KEY) or "")


def data_changed() -> None:
    """Every page kept so far is out of date.

    The version is a fresh random value, not a counter: the file cache's ``incr`` is a read
    and a write, and two processes racing could put back a value pages were already kept
    under; a value never seen before can only make pages unreachable, never stale.
    """
    caches["default"].set(VERSION_KEY, secrets.token_hex(8), None)


def _on_write(sender: Any, **kwargs: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label in _QUIET_APPS or meta.label_lower in _QUIET_MODELS:
        return
    data_changed()


def connect_signals() -> None:
    """From ``WebConfig.ready``: every model write moves the data version."""
    post_save.connect(_on_write, dispatch_uid="page-cache-save")
    post_delete.connect(_on_write, dispatch_uid="page-cache-delete")
    m2m_changed.connect(_on_write, dispatch_uid="page-cache-m2m")


class DataVersionMiddleware:
    """Every unsafe request moves the data version after its response (writes that bypass
    model signals, such as ``QuerySet.update()``, are covered this way)."""

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            data_changed()
        return response


def _key(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if request.COOKIES.get(getattr(settings, "MESSAGE_COOKIE_NAME", "messages")):
        return None  # a flash message is waiting: this page shows it once
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if not csrf:
        return None  # the page's forms would carry a token this browser does not hold yet
    parts = [
        str(user.pk),
        csrf,
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        data_version(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def cached_page(view: View) -> View:
    """Keep ``view``'s rendered page per viewer until the data changes (see the module)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        enabled = getattr(settings, "LEARNLOOP_PAGE_CACHE", True)
        key = _key(request) if enabled and request.method in ("GET", "HEAD") else None
        if key is None:
            return view(request, *args, **kwargs)
        etag = f'W/"{key}"'
        if etag in request.headers.get("If-None-Match", ""):
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            not_modified["Vary"] = "Cookie"
            return not_modified
        local = caches["local"]
        kept = local.get("page:" + key)
        if kept is not None:
            content, content_type = kept
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            if (
                response.status_code != 200
                or response.cookies
                or getattr(response, "streaming", False)
                or not response.get("Content-Type", "").startswith("text/html")
                or "no-store" in response.get("Cache-Control", "")
            ):
                return response
            local.set("page:" + key, (response.content, response["Content-Type"]), PAGE_SECONDS)
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        response["Vary"] = "Cookie"
        return response

    return wrapper
