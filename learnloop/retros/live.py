"""The live board: a small state endpoint polled with conditional requests (decisions/0163).

Each retro has ``state_version`` in the database, raised by every change people in the room
should see. A browser polls ``/retros/<id>/state/`` about once a second with
``If-None-Match``; while nothing changed the answer is ``304`` with no body, after a change it
is the board fragment as this viewer may see it. Works across gunicorn workers and app servers
(the database is the one truth), needs no extra server, and a browser that lost the
connection or joins late simply gets the current state on its next poll.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpRequest, HttpResponse

from learnloop.accounts.models import User
from learnloop.retros.models import Retro

COOKIE_PREFIX = "ll_retro_"
COOKIE_MAX_CARDS = 40
COOKIE_DAYS = 30


def etag_for(retro: Retro, viewer: User, secrets: Mapping[int, str]) -> str:
    """Changes whenever what this viewer sees may change; says nothing to anyone else."""
    return f'W/"r{retro.pk}.{retro.state_version}.{retro.phase}.{viewer.pk}.{len(secrets)}"'


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
