"""Writes for in-app notifications. Other apps call :func:`notification_create`."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from learnloop.accounts.models import User
from learnloop.notifications.models import Notification

TEXT_MAX = 300
KEY_MAX = 120


def notification_create(
    *, recipient: User, text: str, url: str = "", key: str = ""
) -> Notification | None:
    """Create a notification, or return None when one with the same ``key`` already exists.

    The database's unique constraint on (recipient, key) is the arbiter, so any number of
    workers may try at the same moment and exactly one wins. Call it inside the transaction
    that also queues any email, so the email goes out only for the winner.
    """
    if len(key) > KEY_MAX:
        raise ValueError(f"notification key longer than {KEY_MAX}: {key!r}")
    text = text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"
    try:
        with transaction.atomic():
            return Notification.objects.create(recipient=recipient, text=text, url=url, key=key)
    except IntegrityError:
        if not key:
            raise
        return None


def notification_mark_read(*, user: User, notification_id: int) -> Notification | None:
    """Mark one of ``user``'s notifications read; None when it is not theirs (or unknown)."""
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
