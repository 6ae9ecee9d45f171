"""Generic jobs: outgoing email goes through the queue so a slow or down SMTP server never
blocks a request and a failed send is retried."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection

from learnloop.core.demo import is_demo_address
from learnloop.tasks.registry import enqueue, enqueue_each, job


@job("core.send_email")
def send_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str = "",
    attachments: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    for item in attachments or []:
        message.attach(
            item["filename"], item["content"], item.get("mimetype", "application/octet-stream")
        )
    message.send()


def deliverable(addresses: list[str]) -> list[str]:
    """The addresses an email may go to: all but the demo accounts' (core.demo)."""
    return [address for address in addresses if not is_demo_address(address)]


def queue_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str = "",
    attachments: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    unique_key: str | None = None,
) -> None:
    """Send an email from the background worker once the current transaction commits.

    The demo organisation's people have no mailboxes: they are left out, and an email left with
    nobody to go to is not queued at all (decision 0132). ``headers`` are extra header fields
    (e.g. ``List-Unsubscribe``); ``unique_key`` makes a second queueing a no-op while the first
    is pending."""
    to = deliverable(to)
    if not to:
        return
    args: dict[str, Any] = {
        "to": to,
        "subject": subject,
        "body": body,
        "html": html,
        "attachments": attachments or [],
    }
    if headers:
        args["headers"] = headers
    enqueue("core.send_email", args=args, unique_key=unique_key)


def queue_email_each(*, to: list[str], subject: str, body: str) -> None:
    """The same email to each address, each as its own message (nobody sees another's address),
    as ``queue_email`` would one by one, but queued in one statement once the current
    transaction commits (a batch of reminders, decision 0253). Demo addresses are left out."""
    one = {"subject": subject, "body": body, "html": "", "attachments": []}
    enqueue_each("core.send_email", args=[{"to": [a], **one} for a in deliverable(to)])


@job("core.refresh_planner_statistics", every=dt.timedelta(hours=12))
def refresh_planner_statistics() -> None:
    """Keep SQLite's query planner statistics fresh (PostgreSQL's autovacuum does this itself).

    Without statistics SQLite may pick a poor index for list pages at large sizes, and a
    migration that rebuilds a table drops them (docs/decisions/0071-list-query-shape-at-scale.md).
    """
    analyze_sqlite()


@job("core.purge_rate_limits", every=dt.timedelta(minutes=5))
def purge_rate_limits() -> None:
    """Delete ended rate-limit windows, so no counter outlives its window by long (decision 0010)."""
    from learnloop.core.ratelimit import purge_expired

    purge_expired()


def analyze_sqlite() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Sampled statistics: fast at any size, and enough for choosing between indexes.
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
