"""Drills and campaign results API. Lookups go through the visibility rule (404 for another
team's private drill or campaign); campaign results are counts only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team, User
from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.api.types import BodyIn, IsoDate, JsonInt
from learnloop.core.errors import ApplicationError
from learnloop.core.models import Visibility
from learnloop.drills import campaigns, selectors, services
from learnloop.drills.models import (
    Campaign,
    CampaignKind,
    Drill,
    DrillKind,
    DrillStatus,
    Finding,
)
from learnloop.incidents.services import reporting_teams

router = Router(tags=["drills"])


class DrillFindingOut(Schema):
    id: int
    text: str
    action_id: int | None
    lesson_id: int | None


class DrillOut(Schema):
    id: int
    team: str
    title: str
    kind: str
    planned_for: dt.date
    scenario: str
    facilitator_id: int | None
    participant_ids: list[int]
    status: str
    what_happened: str
    after_action: dict[str, str]
    findings: list[DrillFindingOut]
    backup_file: str
    visibility: str
    version: int
    created_at: dt.datetime

    @staticmethod
    def resolve_team(obj: Drill) -> str:
        return obj.team.slug

    @staticmethod
    def resolve_participant_ids(obj: Drill) -> list[int]:
        rows = getattr(obj, "participant_rows", None)  # the list's prefetch (drill_list)
        # Ascending: the list's prefetch and a drill's own read come back in no fixed order on
        # PostgreSQL (no ORDER BY on the link table), and the two answers must agree.
        return sorted(p.pk for p in (obj.participants.all() if rows is None else rows))

    @staticmethod
    def resolve_findings(obj: Drill) -> list[Any]:
        rows = getattr(obj, "finding_rows", None)
        return list(obj.findings.all() if rows is None else rows)


class DrillIn(BodyIn):
    team: str = Field(..., description="Slug of one of your teams.")
    title: str
    kind: DrillKind
    planned_for: IsoDate
    scenario: str = ""
    facilitator_id: JsonInt | None = None
    participant_ids: list[JsonInt] = []
    visibility: Visibility = Visibility.TEAM


# One field per prompt of drills.aar.AFTER_ACTION_TEMPLATE (a test holds them together).
class AfterActionIn(BodyIn):
    """The after-action review's answers; the ones sent replace the saved answers."""

    expected: str = Field("", description="What was supposed to happen?")
    actual: str = Field("", description="What actually happened?")
    difference: str = Field("", description="Why was there a difference?")
    sustain: str = Field("", description="What went well and should stay?")
    improve: str = Field("", description="What will we change next time?")


class DrillPatch(BodyIn):
    version: JsonInt = Field(..., description="The version you read; a stale one answers 409.")
    title: str | None = None
    kind: DrillKind | None = None
    planned_for: IsoDate | None = None
    scenario: str | None = None
    status: DrillStatus | None = None
    what_happened: str | None = None
    after_action: AfterActionIn | None = None
    participant_ids: list[JsonInt] | None = None
    visibility: Visibility | None = None


class FindingIn(BodyIn):
    text: str


class CampaignOut(Schema):
    id: int
    team: str
    name: str
    kind: str
    ran_on: dt.date
    drill_id: int | None
    reported: int
    clicked: int
    ignored: int
    people: int
    report_rate: float
    minutes_to_first_report: int | None
    visibility: str

    @staticmethod
    def resolve_team(obj: Campaign) -> str:
        return obj.team.slug


class CampaignIn(BodyIn):
    team: str
    name: str
    kind: CampaignKind = CampaignKind.PHISHING
    ran_on: IsoDate
    drill_id: JsonInt | None = None
    sent: JsonInt | None = Field(None, description="If given, must equal the three counts' sum.")
    reported: JsonInt
    clicked: JsonInt
    ignored: JsonInt
    minutes_to_first_report: JsonInt | None = None
    visibility: Visibility = Visibility.TEAM


def _team(request: AuthedHttpRequest, slug: str) -> Team:
    team = next((t for t in reporting_teams(request.user) if t.slug == slug), None)
    if team is None:
        raise ApplicationError(
            "Choose one of your teams.", fields={"team": ["Not one of your teams."]}
        )
    return team


@router.get("", response={200: list[DrillOut], **errors(422)})
@paginate(Pagination)
def drill_list(request: AuthedHttpRequest, team: str = "") -> QuerySet[Drill]:
    """What ``DrillOut`` reads and nothing more (decision 0078): the team (not the
    facilitator's row: only its id is shown), participants' ids (not whole user rows) and the
    findings' four fields, prefetched into plain lists (``to_attr``: no related manager and
    queryset per drill)."""
    return (
        selectors.drill_list(user=request.user, team=team)
        .select_related(None)
        .select_related("team")
        .defer("team__description", "team__settings")
        .prefetch_related(
            Prefetch("participants", User.objects.only("pk"), to_attr="participant_rows"),
            Prefetch(
                "findings",
                Finding.objects.only("pk", "drill_id", "text", "action_id", "lesson_id"),
                to_attr="finding_rows",
            ),
        )
    )


@router.post("", response={201: DrillOut, **errors(400, 403, 422)})
def drill_create(request: AuthedHttpRequest, payload: DrillIn) -> Status[Drill]:
    drill = services.drill_create(
        actor=request.user,
        team=_team(request, payload.team),
        title=payload.title,
        kind=payload.kind,
        planned_for=payload.planned_for,
        scenario=payload.scenario,
        facilitator=payload.facilitator_id,
        participants=payload.participant_ids,
        visibility=payload.visibility,
    )
    return Status(201, selectors.drill_get(user=request.user, pk=drill.pk))


@router.get("/campaigns", response={200: list[CampaignOut], **errors(422)})
@paginate(Pagination)
def campaign_list(request: AuthedHttpRequest) -> QuerySet[Campaign]:
    return selectors.campaign_list(user=request.user)


@router.post("/campaigns", response={201: CampaignOut, **errors(400, 403, 404, 422)})
def campaign_create(request: AuthedHttpRequest, payload: CampaignIn) -> Status[Campaign]:
    team = _team(request, payload.team)
    drill = None
    if payload.drill_id is not None:
        drill = selectors.drill_get(user=request.user, pk=payload.drill_id)
    values = payload.dict(exclude={"team", "drill_id"})
    return Status(
        201, campaigns.campaign_create(actor=request.user, team=team, drill=drill, **values)
    )


@router.get("/campaigns/trend", response={200: dict[str, Any], **errors(422)})
def campaign_trend(request: AuthedHttpRequest) -> dict[str, Any]:
    """Per team, report rate and minutes to first report per campaign, oldest first, and the
    organisation's totals over what you can see."""
    data = selectors.trends_for(request.user)
    return {
        "organisation": data["organisation"],
        "teams": [
            {
                "team": team.slug,
                "totals": sums,
                "campaigns": [
                    {
                        "id": p.campaign.pk,
                        "name": p.campaign.name,
                        "ran_on": p.campaign.ran_on.isoformat(),
                        "report_rate": p.rate,
                        "previous_report_rate": p.previous_rate,
                        "minutes_to_first_report": p.campaign.minutes_to_first_report,
                    }
                    for p in points
                ],
            }
            for team, points, sums in data["teams"]
        ],
    }


@router.get("/{int:drill_id}", response={200: DrillOut, **errors(404)})
def drill_detail(request: AuthedHttpRequest, drill_id: int) -> Drill:
    return selectors.drill_get(user=request.user, pk=drill_id)


@router.patch(
    "/{int:drill_id}", response={200: DrillOut, **errors(400, 403, 404, 422, conflict=True)}
)
def drill_update(request: AuthedHttpRequest, drill_id: int, payload: DrillPatch) -> Drill:
    drill = selectors.drill_get(user=request.user, pk=drill_id)
    changes = payload.dict(exclude_unset=True)
    if "participant_ids" in changes:
        changes["participants"] = changes.pop("participant_ids") or []
    services.drill_update(actor=request.user, drill=drill, **changes)
    return selectors.drill_get(user=request.user, pk=drill_id)


@router.post(
    "/{int:drill_id}/findings", response={201: DrillFindingOut, **errors(400, 403, 404, 422)}
)
def finding_add(request: AuthedHttpRequest, drill_id: int, payload: FindingIn) -> Status[Any]:
    drill = selectors.drill_get(user=request.user, pk=drill_id)
    return Status(201, services.finding_add(actor=request.user, drill=drill, text=payload.text))


@router.post(
    "/findings/{int:finding_id}/action",
    response={201: DrillFindingOut, **errors(403, 404, 409)},
)
def finding_to_action(request: AuthedHttpRequest, finding_id: int) -> Status[Any]:
    finding = selectors.finding_get(user=request.user, pk=finding_id)
    services.finding_to_action(actor=request.user, finding=finding)
    return Status(201, finding)


@router.post(
    "/findings/{int:finding_id}/lesson",
    response={201: DrillFindingOut, **errors(403, 404, 409)},
)
def finding_to_lesson(request: AuthedHttpRequest, finding_id: int) -> Status[Any]:
    finding = selectors.finding_get(user=request.user, pk=finding_id)
    services.finding_to_lesson(actor=request.user, finding=finding)
    return Status(201, finding)
