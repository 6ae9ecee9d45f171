"""Telling a person something: in the app, by email through the job queue, or not at all, as
their preference for that kind says (decision 0112). Other apps call :func:`notify`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.template.loader import render_to_string

from learnloop.accounts.models import User
from learnloop.core.errors import ApplicationError
from learnloop.core.jobs import queue_email
from learnloop.core.urls_util import absolute_url
from learnloop.notifications.models import (
    DEFAULT_CHANNEL,
    Channel,
    Kind,
    Notification,
    NotificationPreference,
    channels_for_kind,
)
from learnloop.notifications.services import notification_create
from learnloop.notifications.unsubscribe import unsubscribe_headers, unsubscribe_url


def preferences_for(user: User) -> dict[str, str]:
    """Every kind with the person's channel for it (their choice, else the default)."""
    saved = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: saved.get(kind, DEFAULT_CHANNEL[kind]) for kind in Kind.values}


def preferences_update(*, user: User, values: Mapping[str, str]) -> dict[str, str]:
    """Save the channels sent per kind (kinds not sent keep theirs); 400 per wrong field."""
    errors = {
        kind: [f"Choose one of: {', '.join(label for _, label in channels_for_kind(kind))}."]
        for kind, channel in values.items()
        if kind in Kind.values and channel not in dict(channels_for_kind(kind))
    }
    errors.update(
        {kind: ["Unknown kind of notification."] for kind in values if kind not in Kind.values}
    )
    if errors:
        raise ApplicationError("The preferences were not saved.", fields=errors)
    with transaction.atomic():
        for kind, channel in values.items():
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"channel": channel}
            )
    return preferences_for(user)


def channel_for(user: User, kind: str) -> str:
    return channels_for([user.pk], kind)[user.pk]


def channels_for(user_ids: list[int], kind: str) -> dict[int, str]:
    """``channel_for`` of many people in one query: each id with their channel for ``kind``."""
    saved = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "channel"
        )
    )
    return {pk: saved.get(pk, DEFAULT_CHANNEL[kind]) for pk in user_ids}


def notify(
    *,
    recipients: Iterable[User | None],
    kind: str,
    text: str,
    path: str,
    actor: User | None = None,
    key: str = "",
) -> list[Notification]:
    """Tell each recipient (never the ``actor``, never an inactive account) ``text``, linking
    to ``path``: an in-app notification, plus an email queued in the same transaction when
    their preference for ``kind`` is email. ``key`` (per recipient) makes it at most once."""
    sent = []
    seen: set[int] = set()
    for person in recipients:
        if person is None or not person.is_active or person.pk in seen:
            continue
        seen.add(person.pk)
        if actor is not None and person.pk == actor.pk:
            continue
        channel = channel_for(person, kind)
        if channel == Channel.OFF:
            continue
        with transaction.atomic():
            notification = notification_create(recipient=person, text=text, url=path, key=key)
            if notification is None:
                continue
            if channel == Channel.EMAIL and person.email:
                context = {
                    "person": person,
                    "text": text,
                    "link": absolute_url(path),
                    "preferences": absolute_url("/notifications/preferences/"),
                }
                context["unsubscribe"] = unsubscribe_url(person, kind)
                queue_email(
                    to=[person.email],
                    subject=text if len(text) <= 120 else text[:119] + "…",
                    body=render_to_string("notifications/email/notice.txt", context),
                    headers=unsubscribe_headers(person, kind),
                )
        sent.append(notification)
    return sent
