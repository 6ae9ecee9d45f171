"""Schemathesis over every operation of /api/openapi.json, through WSGI, with a real token.

A bounded run: a fixed number of generated requests per operation and a fixed seed
(docs/decisions/0013-api-contract-testing.md). The cases still depend on the code: Hypothesis
draws some values from the literals of the modules the process has imported (decision 0235).
Every schemathesis check is on: no server error, responses match the documented schema,
status code, content type and headers, bad input is rejected and good input accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.core.parameters import ParameterLocation

from learnloop.accounts.models import Team, User
from learnloop.accounts.services import api_token_create, invitation_create

pytestmark = pytest.mark.slow  # schemathesis walks every operation

MAX_EXAMPLES = 20
SEED = 20261203


@dataclass(frozen=True)
class ApiWorld:
    """The ids the generated requests use, so that most of them reach real objects."""

    token: str
    path_ids: dict[str, Any]


def _build_world(user: User, team: Team) -> ApiWorld:
    from learnloop.actions.services import action_create
    from learnloop.coach.services import coach_check
    from learnloop.incidents.services import incident_create
    from learnloop.lessons.services import lesson_apply, lesson_create
    from learnloop.notifications.services import notification_create
    from learnloop.reviews import selectors as review_selectors
    from learnloop.reviews.comments import comment_add
    from learnloop.reviews.meeting import review_meeting_schedule
    from learnloop.reviews.services import review_create

    _, token = api_token_create(user=user, name="schemathesis")
    incident = incident_create(
        actor=user,
        team=team,
        title="Checkout timed out",
        description="Payments were slow for an hour.",
        tags=["payments"],
    )
    template = review_selectors.templates_visible_to(user).first()
    assert template is not None  # the shipped templates
    review = review_create(actor=user, template=template, incident=incident)
    review_meeting_schedule(
        actor=user, review=review, meeting_at=dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)
    )
    comment = comment_add(actor=user, review=review, body="Let us look at the retries.")
    action = action_create(
        actor=user, team=team, title="Alert on queue depth", review=review, owner=user
    )
    lesson = lesson_create(
        actor=user, team=team, statement="Alert on queue depth, not on CPU.", tags=["payments"]
    )
    lesson_apply(actor=user, lesson=lesson, target_id=incident.pk)
    findings = coach_check(
        user=user,
        text="Bob should have known better and forgot to check the queue.",
        target_type="review",
        target_id=review.pk,
        field_key="c-summary#0",
    )
    notification = notification_create(recipient=user, text="You were mentioned.", url="/")
    assert notification is not None
    invitation_create(actor=user, team=team, email="new.person@example.org")
    flag_id = next(f["flag"]["id"] for f in findings if f.get("flag"))
    from learnloop.experiments.showcase import showcase_create, showcase_item_add
    from learnloop.testing.builders import make_experiment, make_transcript

    experiment = make_experiment(team, created_by=user)
    showcase = showcase_create(actor=user, team=team, month="2026-11")
    item = showcase_item_add(actor=user, showcase=showcase, title="My own slip")

    transcript = make_transcript(team, actor=user)
    return ApiWorld(
        token=token,
        path_ids={
            "slug": team.slug,
            "pk": incident.pk,
            "review_id": review.pk,
            "comment_id": comment.pk,
            "action_id": action.pk,
            "lesson_id": lesson.pk,
            "notification_id": notification.pk,
            "flag_id": flag_id,
            "transcript_id": transcript.pk,
            "experiment_id": experiment.pk,
            "showcase_id": showcase.pk,
            "item_id": item.pk,
        },
    )


def _load_schema() -> schemathesis.BaseSchema:
    from learnloop.wsgi import application

    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            # Schemathesis would also draw values from literals in the application's source, so
            # any change to any handler module changed the cases (decision 0235).
            "analysis": {"constants": {"enabled": False}},
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                # The token goes in every request's headers (see the test); no generated ones.
                "with-security-parameters": False,
            },
            "checks": {
                "enabled": True,
                # A request can match the schema and still break a rule no schema can say (an
                # unknown team slug, a meeting in the past): that is a 400 with ``fields``.
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "400", "401", "403", "404", "409"]
                },
            },
        }
    )
    return schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=config)


# The ids of the objects the running test created (databases number rows differently).
_path_ids: dict[str, Any] = {}

schema = _load_schema()


@schema.hook
def flatmap_case(ctx: Any, case: schemathesis.Case[Any]) -> Any:
    """Valid path parameters are mostly the ids of real objects (so requests get past the
    lookup) and sometimes the generated ones (unknown ids); invalid ones stay invalid."""
    path = case.meta.components.get(ParameterLocation.PATH) if case.meta else None
    if not case.path_parameters or (path is not None and path.mode.is_negative):
        return st.just(case)

    def with_ids(real: bool) -> schemathesis.Case[Any]:
        if real:
            case.path_parameters = {k: _path_ids.get(k, v) for k, v in case.path_parameters.items()}
        return case

    return st.sampled_from([True, True, True, False]).map(with_ids)


@pytest.fixture
def api_world(alice: User, bob: User, alpha: Team) -> Iterator[ApiWorld]:
    """The data, and the test's database connection kept open across WSGI requests (the WSGI
    handler closes connections after each request; Django's test client does the same)."""
    world = _build_world(alice, alpha)
    _path_ids.clear()
    _path_ids.update(world.path_ids)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield world
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
# The world is built once per operation and shared by its examples on purpose: they read and
# change the same objects, like a client would.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_keeps_its_contract(
    case: schemathesis.Case[Any], api_world: ApiWorld
) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {api_world.token}"})
