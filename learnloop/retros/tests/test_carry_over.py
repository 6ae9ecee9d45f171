"""Carry-over: the next retro of the team shows the earlier retros' open actions, and marking
one done, still open or dropped (with a reason) changes the action accordingly."""

from __future__ import annotations

import pytest

from learnloop.actions.models import Action
from learnloop.retros import board
from learnloop.retros.carry_over import carry_over_for, carry_over_mark
from learnloop.retros.models import Phase, Retro
from learnloop.testing.builders import make_retro

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier(alpha, alice, bob):
    retro = make_retro(alpha, facilitator=alice, participants=[bob], title="March retro")
    Retro.objects.filter(pk=retro.pk).update(phase=Phase.ACTIONS)
    retro.refresh_from_db()
    kept = board.topic_action(actor=alice, retro=retro, topic=None, title="Fix the runbook")
    done = board.topic_action(actor=alice, retro=retro, topic=None, title="Already done")
    Action.objects.filter(pk=done.pk).update(status=Action.Status.DONE)
    other = board.topic_action(actor=alice, retro=retro, topic=None, title="Rotate keys")
    return retro, kept, other


def test_the_next_retro_shows_the_open_actions_and_marks_them(
    client_for, alpha, alice, bob, beta, charlie, earlier
) -> None:
    _, kept, other = earlier
    later = make_retro(alpha, facilitator=alice, title="April retro")
    listed = carry_over_for(retro=later)
    assert [c.action.title for c in listed] == ["Fix the runbook", "Rotate keys"]
    assert carry_over_for(retro=make_retro(beta, facilitator=charlie)) == []
    page = client_for(bob).get(f"/retros/{later.pk}/").content.decode()
    assert "Open actions from earlier retros" in page and "Fix the runbook" in page

    client = client_for(bob)
    assert (
        client.post(f"/retros/{later.pk}/carry-over/{kept.pk}/", {"outcome": "done"}).status_code
        == 302
    )
    kept.refresh_from_db()
    assert kept.status == Action.Status.DONE
    with pytest.raises(Exception) as no_reason:
        carry_over_mark(actor=bob, retro=later, action=other, outcome="dropped")
    assert "reason" in no_reason.value.fields  # type: ignore[attr-defined]
    carry_over_mark(
        actor=bob, retro=later, action=other, outcome="dropped", reason="Vendor does it"
    )
    other.refresh_from_db()
    assert other.status == Action.Status.WONT_DO
    marked = {c.action.title: (c.outcome, c.reason) for c in carry_over_for(retro=later)}
    assert marked == {"Fix the runbook": ("done", ""), "Rotate keys": ("dropped", "Vendor does it")}
    # Charlie (another team) cannot reach the carry-over.
    assert (
        client_for(charlie)
        .post(f"/retros/{later.pk}/carry-over/{kept.pk}/", {"outcome": "open"})
        .status_code
        == 404
    )


def test_the_api_lists_and_marks_the_carry_over(client_for, alpha, alice, charlie, earlier) -> None:
    import json

    _, kept, other = earlier
    later = make_retro(alpha, facilitator=alice, title="April retro")
    client = client_for(alice)
    listed = client.get(f"/api/retros/{later.pk}/carry-over").json()
    assert [(c["title"], c["outcome"]) for c in listed] == [
        ("Fix the runbook", ""),
        ("Rotate keys", ""),
    ]
    assert listed[0]["from_retro_title"] == "March retro"
    url = f"/api/retros/{later.pk}/carry-over/{other.pk}"
    refused = client.post(url, json.dumps({"outcome": "dropped"}), content_type="application/json")
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]
    assert Action.objects.get(pk=other.pk).status == Action.Status.OPEN  # nothing half-saved
    marked = client.post(
        url,
        json.dumps({"outcome": "dropped", "reason": "The keys moved to the vault"}),
        content_type="application/json",
    )
    assert marked.status_code == 200 and marked.json()["outcome"] == "dropped"
    assert Action.objects.get(pk=other.pk).status == Action.Status.WONT_DO
    body = json.dumps({"outcome": "done"})
    assert (
        client.post(
            f"/api/retros/{later.pk}/carry-over/999999", body, content_type="application/json"
        ).status_code
        == 404
    )
    outsider = client_for(charlie)
    assert outsider.get(f"/api/retros/{later.pk}/carry-over").status_code == 404
    assert outsider.post(url, body, content_type="application/json").status_code == 404
