"""The access log (``LEARNLOOP_ACCESS_LOG=1``): what gunicorn writes per request, and what it
leaves out so that an anonymous report cannot be dated from it (decision 0010).

A line is ``"METHOD /path" status bytes durationms``: never a client address, never a query
string. Left out altogether:

* requests a view marks with :func:`not_in_access_log` (or :func:`leave_out_of_access_log`):
  the report form, the thank-you page after an anonymous report, the related-suggestions box,
  the coach check and the API's incident creation — every request made while writing a report,
  named or anonymous alike, so a gap says nothing about which kind was filed;
* every request whose path holds a negative id: only anonymous reports (and their tags) have
  those, and the first request for one would otherwise bound when it was filed.

The view marks the WSGI ``environ`` of the request, the same dictionary gunicorn hands to the
logger once the response is sent, so nothing extra reaches the client.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from gunicorn.glogging import Logger

#: Passed to gunicorn's ``--access-logformat``.
ACCESS_LOG_FORMAT = '"%(m)s %(U)s" %(s)s %(b)s %(M)sms'

_MARK = "learnloop.not_in_access_log"
_NEGATIVE_ID = re.compile(r"/-[0-9]+(/|$)")


def leave_out_of_access_log(request: HttpRequest) -> None:
    """Keep this request out of the access log."""
    request.META[_MARK] = True  # META is the WSGI environ gunicorn passes to the logger


def not_in_access_log(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """View decorator: :func:`leave_out_of_access_log` for every request to ``view``."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        leave_out_of_access_log(request)
        return view(request, *args, **kwargs)

    return wrapped


def is_logged(environ: dict[str, Any]) -> bool:
    """Whether the request with this WSGI ``environ`` gets an access-log line."""
    if environ.get(_MARK):
        return False
    return not _NEGATIVE_ID.search(environ.get("PATH_INFO") or "")


class AccessLogger(Logger):
    """gunicorn's logger (``--logger-class``), minus the requests :func:`is_logged` refuses."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if is_logged(environ):
            super().access(resp, req, environ, request_time)
