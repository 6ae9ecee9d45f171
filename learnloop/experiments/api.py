"""Experiments API: test cards and efficiency changes (CRUD, PATCH with ``version``), the
approval path (submit, approve, reject, start, move phase), history, learning cards (and a
learning as a library lesson), and the team's phase rules. Thin: visibility rule → services."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import team_ids_of
from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.api.teams import member_team, team_by_ref
from learnloop.api.types import BodyIn, JsonBool, JsonInt
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.experiments import approvals, learning, phase_rules, selectors, services
from learnloop.experiments.models import Experiment, Phase, PhaseRule

router = Router(tags=["experiments"])

Amount = str | int | float


class ExperimentOut(Schema):
    id: int
    team: str = Field(..., alias="team.slug")
    kind: str
    title: str
    hypothesis: str
    test: str
    metric: str
    success_criterion: str
    riskiest_assumption: str
    budget: Decimal
    currency: str
    expected_saving: Decimal | None
    time_box_days: int
    person_days: Decimal
    owner_id: int | None
    participant_ids: list[int]
    phase: str
    state: str
    decision: str
    stopped_on_data: bool
    iteration: int
    previous_id: int | None
    started_at: dt.datetime | None
    decided_at: dt.datetime | None
    visibility: str
    version: int
    created_at: dt.datetime
    url: str

    @staticmethod
    def resolve_participant_ids(obj: Experiment) -> list[int]:
        return sorted(p.pk for p in obj.participants.all())

    @staticmethod
    def resolve_url(obj: Experiment) -> str:
        return obj.get_absolute_url()


class ExperimentIn(BodyIn):
    team: JsonInt | str = Field(..., description="Team id or slug; you must be a member.")
    kind: str = Field("experiment", description="experiment or efficiency")
    title: str
    hypothesis: str = ""
    test: str = ""
    metric: str = ""
    success_criterion: str = ""
    riskiest_assumption: str = ""
    budget: Amount = Field(0, description="In the organisation's currency; 0 or more")
    expected_saving: Amount | None = None
    time_box_days: JsonInt = 0
    person_days: Amount = 0
    owner_id: JsonInt | None = None
    participant_ids: list[JsonInt] = []
    phase: str = "explore"
    visibility: str = "team"


class ExperimentPatch(BodyIn):
    version: JsonInt = Field(..., description="The version you read; a stale one answers 409.")
    title: str | None = None
    hypothesis: str | None = None
    test: str | None = None
    metric: str | None = None
    success_criterion: str | None = None
    riskiest_assumption: str | None = None
    budget: Amount | None = None
    expected_saving: Amount | None = None
    time_box_days: JsonInt | None = None
    person_days: Amount | None = None
    owner_id: JsonInt | None = None
    participant_ids: list[JsonInt] | None = None
    phase: str | None = None
    visibility: str | None = None


class Filters(Schema):
    team: str | None = Field(None, description="Team id or slug")
    kind: str | None = None
    phase: str | None = None
    state: str | None = None


class NoteIn(BodyIn):
    note: str = ""


class ReasonIn(BodyIn):
    reason: str


class MoveIn(BodyIn):
    budget: Amount | None = None
    person_days: Amount | None = None


class EventOut(Schema):
    at: dt.datetime
    actor_id: int | None
    what: str
    from_state: str
    to_state: str
    note: str


class VoteOut(Schema):
    approver_id: int
    approve: bool
    note: str
    at: dt.datetime


class ApprovalOut(Schema):
    id: int
    kind: str
    phase: str
    budget: Decimal
    approval: str
    required_approvals: int
    submitted_by_id: int | None
    submitted_at: dt.datetime
    outcome: str
    decided_at: dt.datetime | None
    lead_time_seconds: int | None
    reason: str
    votes: list[VoteOut]

    @staticmethod
    def resolve_votes(obj: Any) -> list[Any]:
        return list(obj.votes.all())


class LearningCardIn(BodyIn):
    observed: str
    learned: str = Field(..., description="One learning per line")
    data: str = ""
    decision: str = Field(..., description="persevere, pivot, stop or scale")


class LearningCardOut(Schema):
    id: int
    experiment_id: int
    observed: str
    learned: str
    learnings: list[str]
    data: str
    decision: str
    created_at: dt.datetime


class LearningLessonIn(BodyIn):
    index: JsonInt = Field(..., description="Which learning of the card (0 = the first)")


class LearningLessonOut(Schema):
    id: int
    statement: str
    source_kind: str
    source_experiment_id: int | None


class RuleOut(Schema):
    phase: str
    budget_limit: Decimal | None
    approval: str
    required_approvals: int
    approver_ids: list[int]
    allow_self_approval: bool
    win: str
    time_target_pct: int | None
    budget_target_pct: int | None
    version: int

    @staticmethod
    def resolve_approver_ids(obj: PhaseRule) -> list[int]:
        return sorted(u.pk for u in obj.approvers.all())


class RuleIn(BodyIn):
    version: JsonInt
    budget_limit: Amount | None = None
    approval: str
    required_approvals: JsonInt = 1
    approver_ids: list[JsonInt] = []
    allow_self_approval: JsonBool = False
    win: str
    time_target_pct: JsonInt | None = Field(None, description="0-100; null: no target")
    budget_target_pct: JsonInt | None = Field(None, description="0-100; null: no target")


def _people(team: Team, ids: list[int], field: str) -> list[User]:
    found = list(User.objects.filter(pk__in=ids, memberships__team=team).distinct())
    if len(found) != len(set(ids)):
        raise ApplicationError(
            f"Check {field}.", fields={field: [f"Everyone must be a member of {team.name}."]}
        )
    return found


def _get(request: AuthedHttpRequest, pk: int) -> Experiment:
    return selectors.experiment_or_404(user=request.user, pk=pk)


def _mine(request: AuthedHttpRequest, pk: int) -> Experiment:
    experiment = _get(request, pk)
    if experiment.team_id not in team_ids_of(request.user):
        raise NotFound()  # visible organisation-wide, but not theirs to change
    return experiment


@router.get("", response={200: list[ExperimentOut], **errors(400, 422)})
@paginate(Pagination)
def experiment_list(
    request: AuthedHttpRequest,
    filters: Query[Filters],
) -> QuerySet[Experiment]:
    team = None
    if filters.team:
        qs = Team.objects.filter(organisation_id=request.user.organisation_id or 0)
        team = team_by_ref(qs, filters.team)
        if team is None:
            return Experiment.objects.none()
    return selectors.experiments_filtered(
        user=request.user, team=team, kind=filters.kind, phase=filters.phase, state=filters.state
    ).prefetch_related("participants")


@router.post("", response={201: ExperimentOut, **errors(400, 422)})
def experiment_create(request: AuthedHttpRequest, payload: ExperimentIn) -> Status[Experiment]:
    team = member_team(request.user, payload.team)
    data = payload.dict()
    owner_id = data.pop("owner_id")
    participant_ids = data.pop("participant_ids")
    data.pop("team")
    owner = _people(team, [owner_id], "owner_id")[0] if owner_id is not None else None
    experiment = services.experiment_create(
        actor=request.user,
        team=team,
        owner=owner,
        participants=_people(team, participant_ids, "participant_ids"),
        **data,
    )
    return Status(201, _get(request, experiment.pk))


@router.get("/{int:experiment_id}", response={200: ExperimentOut, **errors(404)})
def experiment_detail(request: AuthedHttpRequest, experiment_id: int) -> Experiment:
    return _get(request, experiment_id)


@router.patch(
    "/{int:experiment_id}", response={200: ExperimentOut, **errors(404, 422, conflict=True)}
)
def experiment_update(
    request: AuthedHttpRequest, experiment_id: int, payload: ExperimentPatch
) -> Experiment:
    experiment = _mine(request, experiment_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes: dict[str, Any] = {}
    participants = None
    for key, value in data.items():
        if key == "owner_id":
            changes["owner"] = (
                _people(experiment.team, [value], "owner_id")[0] if value is not None else None
            )
        elif key == "participant_ids":
            if value is not None:
                participants = _people(experiment.team, value, "participant_ids")
        elif value is not None or key == "expected_saving":
            changes[key] = value
    services.experiment_update(
        actor=request.user,
        experiment=experiment,
        version=version,
        participants=participants,
        **changes,
    )
    return _get(request, experiment_id)


_STEP = {200: ExperimentOut, **errors(403, 404, 422)}


@router.post("/{int:experiment_id}/submit", response=_STEP)
def experiment_submit(request: AuthedHttpRequest, experiment_id: int) -> Experiment:
    approvals.experiment_submit(actor=request.user, experiment=_mine(request, experiment_id))
    return _get(request, experiment_id)


@router.post("/{int:experiment_id}/approve", response=_STEP)
def experiment_approve(
    request: AuthedHttpRequest, experiment_id: int, payload: NoteIn
) -> Experiment:
    approvals.experiment_approve(
        actor=request.user, experiment=_mine(request, experiment_id), note=payload.note
    )
    return _get(request, experiment_id)


@router.post("/{int:experiment_id}/reject", response=_STEP)
def experiment_reject(
    request: AuthedHttpRequest, experiment_id: int, payload: ReasonIn
) -> Experiment:
    approvals.experiment_reject(
        actor=request.user, experiment=_mine(request, experiment_id), reason=payload.reason
    )
    return _get(request, experiment_id)


@router.post("/{int:experiment_id}/start", response=_STEP)
def experiment_start(request: AuthedHttpRequest, experiment_id: int) -> Experiment:
    approvals.experiment_start(actor=request.user, experiment=_mine(request, experiment_id))
    return _get(request, experiment_id)


@router.post("/{int:experiment_id}/move", response=_STEP)
def experiment_move(request: AuthedHttpRequest, experiment_id: int, payload: MoveIn) -> Experiment:
    approvals.experiment_move_phase(
        actor=request.user,
        experiment=_mine(request, experiment_id),
        budget=payload.budget,
        person_days=payload.person_days,
    )
    return _get(request, experiment_id)


@router.get("/{int:experiment_id}/history", response={200: list[EventOut], **errors(404)})
def experiment_history(request: AuthedHttpRequest, experiment_id: int) -> list[Any]:
    return list(selectors.history(_get(request, experiment_id)))


@router.get("/{int:experiment_id}/approvals", response={200: list[ApprovalOut], **errors(404)})
def experiment_approvals(request: AuthedHttpRequest, experiment_id: int) -> list[Any]:
    return list(selectors.approval_requests(_get(request, experiment_id)))


@router.get(
    "/{int:experiment_id}/learning-cards", response={200: list[LearningCardOut], **errors(404)}
)
def learning_card_list(request: AuthedHttpRequest, experiment_id: int) -> list[Any]:
    return list(selectors.learning_cards(_get(request, experiment_id)))


@router.post(
    "/{int:experiment_id}/learning-cards",
    response={201: LearningCardOut, **errors(404, 422)},
)
def learning_card_create(
    request: AuthedHttpRequest, experiment_id: int, payload: LearningCardIn
) -> Status[Any]:
    card = learning.learning_card_create(
        actor=request.user, experiment=_mine(request, experiment_id), **payload.dict()
    )
    return Status(201, card)


@router.post(
    "/{int:experiment_id}/learning-cards/{int:learning_card_id}/lessons",
    response={201: LearningLessonOut, **errors(404, 422)},
)
def lesson_from_learning(
    request: AuthedHttpRequest, experiment_id: int, learning_card_id: int, payload: LearningLessonIn
) -> Status[Any]:
    experiment = _mine(request, experiment_id)
    card = experiment.learning_cards.filter(pk=learning_card_id).first()
    if card is None:
        raise NotFound()
    lesson = learning.lesson_from_learning(actor=request.user, card=card, index=payload.index)
    return Status(201, lesson)


def _rule_team(request: AuthedHttpRequest, ref: str) -> Team:
    """One of the caller's teams, by id or slug in the path; anything else is a 404."""
    team = team_by_ref(Team.objects.filter(pk__in=team_ids_of(request.user)), ref)
    if team is None:
        raise NotFound()
    return team


@router.get("/rules/{team}", response={200: list[RuleOut], **errors(404)})
def rule_list(request: AuthedHttpRequest, team: str) -> list[PhaseRule]:
    return phase_rules.rules_for(_rule_team(request, team))


@router.get("/rules/{team}/{phase}", response={200: RuleOut, **errors(404)})
def rule_detail(request: AuthedHttpRequest, team: str, phase: str) -> PhaseRule:
    the_team = _rule_team(request, team)
    if phase not in Phase.values:
        raise NotFound()
    return phase_rules.rule_for(the_team, phase)


@router.put(
    "/rules/{team}/{phase}", response={200: RuleOut, **errors(403, 404, 422, conflict=True)}
)
def rule_update(request: AuthedHttpRequest, team: str, phase: str, payload: RuleIn) -> PhaseRule:
    the_team = _rule_team(request, team)
    if phase not in Phase.values:
        raise NotFound()
    rule = phase_rules.rule_for(the_team, phase)
    return phase_rules.phase_rule_update(
        actor=request.user,
        rule=rule,
        version=payload.version,
        budget_limit=payload.budget_limit,
        approval=payload.approval,
        required_approvals=payload.required_approvals,
        allow_self_approval=payload.allow_self_approval,
        win=payload.win,
        approvers=_people(the_team, payload.approver_ids, "approver_ids"),
        time_target_pct=payload.time_target_pct,
        budget_target_pct=payload.budget_target_pct,
    )
