from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """An absolute link for emails: LEARNLOOP_BASE_URL when set, else the request's host."""
    if settings.BASE_URL:
        return settings.BASE_URL.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return "http://127.0.0.1:8000" + path
