"""The live board: a small state endpoint polled with conditional requests (decisions/0163).

Each retro has ``state_version`` in the database, raised by every change people in the room
should see. A browser polls ``/retros/<id>/state/`` every half second with
``If-None-Match``; while nothing changed the answer is ``304`` with no body, after a change it
is the board fragment as this viewer may see it. Works across gunicorn workers and app servers
(the database is the one truth), needs no extra server, and a browser that lost the
connection or joins late simply gets the current state on its next poll.

The cheap 304 (decisions/0164): the ETag carries an HMAC of what it describes and of the
session cookie it was issued to, so :class:`LiveStateMiddleware` can answer "still the same"
with one indexed query, before sessions, users and team memberships are loaded. A tag is only
ever issued after the full check (signed-in member of the retro's team), and a 304 tells its
holder nothing they did not already see; anything else (no tag, a tag of another session,
a changed board) goes the full way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

from learnloop.accounts.models import User
from learnloop.core.accesslog import leave_out_of_access_log
from learnloop.retros.models import Retro

COOKIE_PREFIX = "ll_retro_"
COOKIE_MAX_CARDS = 40
COOKIE_DAYS = 30


_STATE_PATH = re.compile(r"^/retros/([0-9]+)/state/$")
_TAG = re.compile(r'^W/"r([0-9]+)\.([0-9]+)\.([a-z]+)\.([0-9]+)\.([0-9]+)\.([0-9a-f]{20})"$')


def _signature(body: str, session_key: str) -> str:
    return salted_hmac("learnloop.retros.live", f"{body}|{session_key}").hexdigest()[:20]


def etag_for(
    retro: Retro, viewer: User, secrets: Mapping[int, str], session_key: str | None
) -> str:
    """Changes whenever what this viewer sees may change; says nothing to anyone else. Signed
    for the session it is handed to, so only that session can turn it into a cheap 304."""
    body = f"r{retro.pk}.{retro.state_version}.{retro.phase}.{viewer.pk}.{len(secrets)}"
    return f'W/"{body}.{_signature(body, session_key or "")}"'


def cheap_not_modified(request: HttpRequest) -> str | None:
    """The ETag to answer 304 with, if the request's tag is one this session was given and
    the retro's version and phase are still the ones it names; else None (go the full way)."""
    match = _STATE_PATH.match(request.path_info)
    given = request.headers.get("If-None-Match", "").strip()
    tag = _TAG.match(given)
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if request.method != "GET" or match is None or tag is None or not session_key:
        return None
    pk, version, phase, _viewer, held, signature = tag.groups()
    body = given[3:].rsplit(".", 1)[0]
    if pk != match.group(1) or int(held) != len(read_secrets(request, int(pk))):
        return None
    if not constant_time_compare(signature, _signature(body, session_key)):
        return None
    current = Retro.objects.filter(pk=int(pk)).values_list("state_version", "phase").first()
    if current is None or (str(current[0]), current[1]) != (version, phase):
        return None
    return given


class LiveStateMiddleware:
    """Answers the live poll's "nothing changed" before sessions and users are loaded (placed
    right after the security headers in ``MIDDLEWARE``); every other request passes by."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/retros/"):
            etag = cheap_not_modified(request)
            if etag is not None:
                leave_out_of_access_log(request)
                return with_etag(HttpResponse(status=304), etag)
        return self.get_response(request)


def not_modified(request: HttpRequest, etag: str) -> bool:
    given = request.headers.get("If-None-Match", "")
    return etag in [t.strip() for t in given.split(",")]


def with_etag(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie"
    return response


# --- the capability cookie for anonymous cards (decisions/0161) ----------------------------


def cookie_name(retro_id: int) -> str:
    return f"{COOKIE_PREFIX}{retro_id}"


def read_secrets(request: HttpRequest, retro_id: int) -> dict[int, str]:
    """{card id: secret} the browser holds for this retro (the cookie is its only copy)."""
    raw = request.COOKIES.get(cookie_name(retro_id), "")
    out: dict[int, str] = {}
    for pair in raw.split(".")[:COOKIE_MAX_CARDS]:
        card_id, _, secret = pair.partition("~")
        try:
            out[int(card_id)] = secret
        except ValueError:
            continue
    return out


def remember_secret(
    request: HttpRequest, response: HttpResponse, retro_id: int, card_id: int, secret: str
) -> None:
    """Add the card's secret to the browser's cookie for this retro (HttpOnly, this retro's
    path only). Nothing about it is stored on the server."""
    held = read_secrets(request, retro_id)
    held[card_id] = secret
    pairs = [f"{pk}~{s}" for pk, s in list(held.items())[-COOKIE_MAX_CARDS:]]
    response.set_cookie(
        cookie_name(retro_id),
        ".".join(pairs),
        max_age=COOKIE_DAYS * 86400,
        path=f"/retros/{retro_id}/",
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
