"""The address a request came from, for throttling only (never stored with content or logged).

Behind a reverse proxy every request arrives from the proxy, so the proxy's
``X-Forwarded-For`` is believed when the direct peer is one of ``LEARNLOOP_FORWARDED_ALLOW_IPS``
(the proxies gunicorn already trusts in ``learnloop serve``). The right-most address that is
not a trusted proxy is the client: entries to its left were written by the client and can be
forged. Anything that is not an IP address is ignored (``None`` when nothing is left).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    peer = _valid(request.META.get("REMOTE_ADDR", ""))
    trusted = set(settings.FORWARDED_ALLOW_IPS)
    if "*" not in trusted and peer not in trusted:
        return peer
    hops = [_valid(h) for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if "*" in trusted or hop not in trusted:
            return hop
    return peer
