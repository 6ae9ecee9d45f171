"""Reads for notifications: only ever the recipient's own."""

from __future__ import annotations

from django.db.models import QuerySet

from learnloop.accounts.models import User
from learnloop.core import sql
from learnloop.notifications.models import Notification


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


_UNREAD_SQL = (
    "SELECT COUNT(*) FROM notifications_notification WHERE recipient_id = %s AND read_at IS NULL"
)


def unread_count(*, user: User) -> int:
    """Uses the (recipient, read_at) index; cheap enough for every page's navigation: a fixed
    query, since building it with the ORM cost 20 times what running it does (decision 0179)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return int(sql.fetch(_UNREAD_SQL, [user.pk])[0][0])
