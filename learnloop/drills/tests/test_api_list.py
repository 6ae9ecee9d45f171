"""The API's drill list reads only what it shows (decision 0078) and shows the same
participants and findings as each drill's own answer, in one page of a bounded query count."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from learnloop.actions.models import Action
from learnloop.drills.models import Finding
from learnloop.testing.builders import make_drill, make_user


def test_the_list_shows_each_drills_participants_and_findings_as_its_own_page(
    client_for, alice, bob, alpha
) -> None:
    carol = make_user("carol@example.org", alice.organisation, team=alpha)
    drills = [make_drill(alpha, title=f"Drill {i}", facilitator=bob) for i in range(3)]
    drills[0].participants.set([alice, carol])
    drills[2].participants.set([bob])
    action = Action.objects.create(team=alpha, title="Own the DNS zone")
    Finding.objects.create(drill=drills[0], text="Nobody knew the DNS owner.", action=action)
    Finding.objects.create(drill=drills[0], text="The runbook was stale.")
    client = client_for(alice)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/api/drills").json()
    queries = len(ctx.captured_queries)  # before the next request resets the log
    listed = {item["id"]: item for item in body["items"]}
    assert body["count"] == 3
    for drill in drills:
        own = client.get(f"/api/drills/{drill.pk}").json()
        for field in ("participant_ids", "findings", "facilitator_id", "team", "version"):
            assert listed[drill.pk][field] == own[field], field
    assert sorted(listed[drills[0].pk]["participant_ids"]) == sorted([alice.pk, carol.pk])
    assert [f["action_id"] for f in listed[drills[0].pk]["findings"]] == [action.pk, None]
    assert listed[drills[1].pk]["participant_ids"] == []
    assert queries <= 7, queries  # session, user, teams, count, page, participants, findings
