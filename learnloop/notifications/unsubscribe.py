"""One-click unsubscribe (RFC 8058) for every email kind: a signed token in a URL that works
without signing in; a POST to it stops that kind of email (decision 0191).

The token is ``django.core.signing`` over (person, kind) with its own salt, so it cannot be
forged or turned into another person's, and it does not expire: an old email's link still
works. GET only shows a confirmation button, so link scanners that fetch URLs unsubscribe
nobody; mail clients send the RFC 8058 POST (``List-Unsubscribe=One-Click``).
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from learnloop.accounts.models import User
from learnloop.core.urls_util import absolute_url
from learnloop.notifications.models import EMAIL_ONLY, Channel, Kind

SALT = "learnloop.notifications.unsubscribe"


def unsubscribe_token(user: User, kind: str) -> str:
    return signing.dumps([user.pk, kind], salt=SALT)


def unsubscribe_url(user: User, kind: str) -> str:
    return absolute_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)]))


def unsubscribe_headers(user: User, kind: str) -> dict[str, str]:
    """The RFC 2369 / RFC 8058 header fields of an email of ``kind`` to ``user``."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def read_token(token: str) -> tuple[User, str] | None:
    """The active person and kind a token names, or None for a bad or foreign token."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2) or value[1] not in Kind.values:
        return None
    user = User.objects.filter(pk=value[0], is_active=True).first()
    return (user, str(value[1])) if user is not None else None


def stop_emails(user: User, kind: str) -> str:
    """No more emails of ``kind``: in-app kinds stay in the app, email-only kinds turn off."""
    from learnloop.notifications.delivery import preferences_update

    channel = Channel.OFF if kind in EMAIL_ONLY else Channel.IN_APP
    preferences_update(user=user, values={kind: channel})
    return channel
