"""Request types for views. `HtmxMiddleware` sets ``request.htmx`` on every request; annotate a
view's ``request`` as `HtmxHttpRequest` so the type checker knows it is there. Views behind
sign-in use ``accounts.http.AuthedHttpRequest``, which also says who ``request.user`` is."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
