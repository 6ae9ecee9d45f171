from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """The one builder of absolute links (emails, .ics files, the printable review):
    ``LEARNLOOP_BASE_URL`` when set, else the address ``learnloop serve`` listens on
    (``settings.SERVE_URL``). Never the request's host: a link is the same whichever process
    or request makes it (decision 0130)."""
    base = settings.BASE_URL or settings.SERVE_URL
    return base.rstrip("/") + "/" + path.lstrip("/")
