"""Reads for webhook endpoints: only the ones the person manages; any other is a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from learnloop.accounts.models import User
from learnloop.webhooks.models import Delivery, Endpoint

LOG_SIZE = 50


def endpoints_for(user: User) -> QuerySet[Endpoint]:
    """Organisation endpoints for organisation admins; team endpoints for the team's admins."""
    if user.organisation_id is None:
        return Endpoint.objects.none()
    mine = Q(team__memberships__user=user, team__memberships__role="admin")
    if user.is_org_admin:
        mine |= Q(team__isnull=True)
    return (
        Endpoint.objects.filter(mine, organisation_id=user.organisation_id)
        .select_related("team")
        .distinct()
        .order_by("team__name", "url", "id")
    )


def endpoint_or_404(user: User, pk: int) -> Endpoint:
    endpoint = endpoints_for(user).filter(pk=pk).first()
    if endpoint is None:
        raise Http404("Not found")
    return endpoint


def delivery_log(endpoint: Endpoint, limit: int = LOG_SIZE) -> list[Delivery]:
    return list(endpoint.deliveries.order_by("-created_at", "-id")[:limit])
