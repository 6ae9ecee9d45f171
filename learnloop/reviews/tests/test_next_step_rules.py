"""A review's next step becomes an action on publishing, so the editor checks it with the
actions' own rules: what ``action_create`` would refuse, the editor refuses with the same
message (one rule, not a copy in the reviews app)."""

from __future__ import annotations

from typing import Any

import pytest

from learnloop.actions.services import action_create
from learnloop.core.errors import ApplicationError
from learnloop.reviews import services

pytestmark = pytest.mark.django_db

CASES = [
    ("title", {"title": "x" * 201}),
    ("owner", {}),  # filled in with a member of another team below
    ("due_date", {"due_date": "next Tuesday"}),
    ("kind", {"kind": "blame"}),
]


def _editor_errors(review: Any, actor: Any, step: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(ApplicationError) as info:
        services.review_content_save(
            actor=actor, review=review, version=review.version, content={"next_steps": [step]}
        )
    return info.value.fields


def _action_errors(review: Any, actor: Any, field: str, step: dict[str, Any]) -> list[str]:
    with pytest.raises(ApplicationError) as info:
        action_create(
            actor=actor,
            team=review.team,
            review=review,
            title=step.get("title", "Fix"),
            owner=step.get("owner_user"),
            due_date=step.get("due_date"),
            kind=step.get("kind", "prevent"),
        )
    return info.value.fields[field]


@pytest.mark.parametrize(("field", "bad"), CASES, ids=[c[0] for c in CASES])
def test_a_next_step_is_refused_as_the_action_would_be(review, alice, charlie, field, bad) -> None:
    step = {"title": "Fix the alert", **bad}
    if field == "owner":
        step["owner"], step["owner_user"] = charlie.pk, charlie  # in the organisation, not the team
    editor = _editor_errors(review, alice, {k: v for k, v in step.items() if k != "owner_user"})
    assert editor == {f"content.next_steps.0.{field}": _action_errors(review, alice, field, step)}
    review.refresh_from_db()
    assert review.version == 1


def test_an_unreadable_owner_is_refused_like_a_non_member(review, alice) -> None:
    fields = _editor_errors(review, alice, {"title": "Fix", "owner": "not-an-id"})
    assert fields == {
        "content.next_steps.0.owner": [f"The owner must be a member of {review.team.name}."]
    }


def test_a_valid_next_step_is_kept(review, alice, bob) -> None:
    step = {"title": "Fix", "owner": bob.pk, "due_date": "2030-01-31", "kind": "detect"}
    saved = services.review_content_save(
        actor=alice, review=review, version=1, content={"next_steps": [step]}
    )
    assert saved.content["next_steps"] == [{**step, "action_id": None}]
