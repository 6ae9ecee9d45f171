"""Sending one message: sign it per Standard Webhooks with the ``standardwebhooks`` library,
POST it without following redirects, record the outcome, and retry with exponential backoff
through the job queue; an endpoint that keeps failing is turned off and its admins are told
(decisions/0180). Runs only in the worker, never in a request."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from learnloop.accounts.models import Membership, User
from learnloop.notifications.delivery import notify
from learnloop.notifications.models import Kind
from learnloop.tasks.registry import enqueue
from learnloop.webhooks.models import Delivery, Endpoint

# Waits before attempts 2, 3, ...: 30 s, 2 min, 10 min, 1 h, 4 h (about five hours in all).
RETRY_DELAYS = [30, 120, 600, 3600, 14400]
# Failed attempts in a row (over any deliveries) before the endpoint is turned off.
DISABLE_AFTER = 15
TIMEOUT_SECONDS = 5.0
USER_AGENT = "Learnloop-Webhooks/1"


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def signature_headers(endpoint: Endpoint, message_id: str, body: str) -> dict[str, str]:
    """webhook-id, webhook-timestamp (now, whole seconds) and webhook-signature: ``v1,…``
    with the current secret, plus one with the previous secret during a rotation's grace."""
    stamp = int(time.time())
    when = dt.datetime.fromtimestamp(stamp, tz=dt.UTC)
    secrets = [endpoint.secret]
    grace = endpoint.previous_secret_until
    if endpoint.previous_secret and grace is not None and grace > timezone.now():
        secrets.append(endpoint.previous_secret)
    signatures = [Webhook(secret).sign(message_id, when, body) for secret in secrets]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": " ".join(signatures),
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failed attempt: the message is signed for the address it was sent to."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, body: str, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST ``body``; (status, error text). Status None when no answer came."""
    request = urllib.request.Request(
        url,
        data=body.encode(),
        method="POST",
        headers={**headers, "Content-Type": "application/json", "User-Agent": USER_AGENT},
    )
    timeout = float(_setting("WEBHOOKS_TIMEOUT_SECONDS", TIMEOUT_SECONDS))
    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(1024)
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        answer = "a redirect (not followed)" if 300 <= exc.code < 400 else f"HTTP {exc.code}"
        return exc.code, f"The endpoint answered with {answer}."
    except (urllib.error.URLError, OSError) as exc:
        reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            return None, f"No answer within {timeout:g} seconds."
        return None, f"Could not connect: {str(reason)[:200]}"


def deliver(delivery_id: int) -> str:
    """One attempt at one delivery; returns its new status."""
    delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (Delivery.Status.DELIVERED, Delivery.Status.FAILED):
        return "skipped"
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, error="The endpoint is turned off.", next_attempt_at=None
        )
        return Delivery.Status.FAILED
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False)
    status, error = post(endpoint.url, body, signature_headers(endpoint, delivery.message_id, body))
    if status is not None and 200 <= status < 300:
        return _succeeded(delivery, status)
    return _failed(delivery, status, error)


def _succeeded(delivery: Delivery, status: int) -> str:
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.DELIVERED,
            attempts=F("attempts") + 1,
            response_status=status,
            error="",
            last_attempt_at=timezone.now(),
            next_attempt_at=None,
        )
        Endpoint.objects.filter(pk=delivery.endpoint_id).update(failures_in_row=0)
    return Delivery.Status.DELIVERED


def _failed(delivery: Delivery, status: int | None, error: str) -> str:
    now = timezone.now()
    attempts = delivery.attempts + 1
    delays = list(_setting("WEBHOOKS_RETRY_DELAYS", RETRY_DELAYS))
    with transaction.atomic():
        Endpoint.objects.filter(pk=delivery.endpoint_id).update(
            failures_in_row=F("failures_in_row") + 1
        )
        endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        if endpoint.is_active and endpoint.failures_in_row >= int(
            _setting("WEBHOOKS_DISABLE_AFTER", DISABLE_AFTER)
        ):
            _turn_off(endpoint, error)
        retry = endpoint.is_active and attempts <= len(delays)
        next_at = now + dt.timedelta(seconds=delays[attempts - 1]) if retry else None
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.RETRYING if retry else Delivery.Status.FAILED,
            attempts=attempts,
            response_status=status,
            error=error[:300],
            last_attempt_at=now,
            next_attempt_at=next_at,
        )
        if retry:
            enqueue("webhooks.deliver", args={"delivery_id": delivery.pk}, run_at=next_at)
    return Delivery.Status.RETRYING if retry else Delivery.Status.FAILED


def endpoint_admins(endpoint: Endpoint) -> list[User]:
    if endpoint.team_id is None:
        return list(
            User.objects.filter(
                organisation_id=endpoint.organisation_id, is_org_admin=True, is_active=True
            )
        )
    ids = Membership.objects.filter(team_id=endpoint.team_id, role="admin").values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _turn_off(endpoint: Endpoint, error: str) -> None:
    endpoint.is_active = False
    endpoint.disabled_reason = (
        f"Turned off after {endpoint.failures_in_row} failed attempts in a row. Last: {error}"
    )[:200]
    endpoint.version += 1
    endpoint.save(update_fields=["is_active", "disabled_reason", "version", "updated_at"])
    notify(
        recipients=endpoint_admins(endpoint),
        kind=Kind.WEBHOOK,
        text=f"The webhook endpoint {endpoint.url[:150]} was turned off after repeated failures",
        path=endpoint.get_absolute_url(),
        key=f"webhook:{endpoint.pk}:off:{endpoint.version}",
    )
