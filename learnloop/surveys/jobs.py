"""Survey jobs: announce rounds that closed when their closing time passed (decision 0180);
rounds closed early are announced by ``surveys.services.round_close`` itself."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from learnloop.core.events import emit
from learnloop.surveys.events import ROUND_CLOSED, round_payload
from learnloop.surveys.models import SurveyRound
from learnloop.tasks.registry import job

#: Rounds that closed longer ago than this are not announced (no flood of history).
LOOKBACK_DAYS = 7


@job("surveys.announce_closed", every=dt.timedelta(hours=1))
def announce_closed() -> int:
    """Rounds whose closing time has passed (within the look-back), each announced once."""
    now = timezone.now()
    due = SurveyRound.objects.filter(
        closed_announced=False,
        closed_early_at__isnull=True,
        closes_at__lte=now,
        closes_at__gte=now - dt.timedelta(days=LOOKBACK_DAYS),
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            # Claim it: another worker may be announcing the same round.
            if not SurveyRound.objects.filter(pk=pk, closed_announced=False).update(
                closed_announced=True
            ):
                continue
            survey = SurveyRound.objects.select_related("team__organisation").get(pk=pk)
            emit(
                ROUND_CLOSED,
                team_id=survey.team_id,
                visibility=survey.visibility,
                build=lambda survey=survey: round_payload(survey),  # type: ignore[misc]
            )
        count += 1
    return count
