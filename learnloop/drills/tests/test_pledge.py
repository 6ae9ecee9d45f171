"""The leaders' pledge (decisions/0173): admins write and sign it, every change is a visible
version, and it is shown on the report form, the anonymous-report explanation, the "I might
have clicked something" page and drill pages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from learnloop.accounts.models import Role, User
from learnloop.drills.models import Pledge, PledgeVersion
from learnloop.testing.builders import make_drill, make_user

WORDS = "No one is punished for reporting a mistake promptly. Exceptions: deliberate harm."


@pytest.fixture
def olga(org, alpha) -> User:
    return make_user("olga@example.org", org, team=alpha, role=Role.MEMBER, is_org_admin=True)


def _json(c: Any, method: str, url: str, body: Any) -> Any:
    return getattr(c, method)(url, data=json.dumps(body), content_type="application/json")


def test_an_org_admin_writes_signs_and_changes_it_with_history(client_for, olga, bob) -> None:
    c = client_for(olga)
    assert c.post("/drills/pledge/", {"text": WORDS}).status_code == 302
    assert c.post("/drills/pledge/", {"do": "sign"}).status_code == 302
    page = c.get("/drills/pledge/").content.decode()
    assert WORDS in page and "Signed: Olga" in page
    assert (
        c.post("/drills/pledge/", {"text": WORDS + " And recklessness.", "version": 1}).status_code
        == 302
    )
    # A stale save (an old tab): refused, the writer's words kept in the form, the latest
    # saved words shown beside them (core.forms.versioned_edit).
    stale = c.post("/drills/pledge/", {"text": "Old tab", "version": 1})
    assert stale.status_code == 409
    body = stale.content.decode()
    form = body.split("<form", 2)[-1]
    assert ">Old tab</textarea>" in form and 'name="version" value="2"' in form
    assert "Someone else changed this pledge meanwhile" in body
    assert "And recklessness." in body.split('class="conflict"', 1)[1].split("</article>", 1)[0]
    assert PledgeVersion.objects.count() == 2
    page = c.get("/drills/pledge/").content.decode()
    assert "Current: version 2" in page and "version 1" in page and "Not signed." in page
    # Members read it; they cannot write or sign it.
    assert client_for(bob).post("/drills/pledge/", {"text": "Mine now"}).status_code == 404
    assert client_for(bob).post("/drills/pledge/", {"do": "sign"}).status_code == 404
    assert PledgeVersion.objects.count() == 2


def test_it_is_shown_on_the_report_form_the_clicked_page_and_drill_pages(
    client_for, olga, alice, bob, alpha
) -> None:
    from learnloop.drills import pledge

    pledge.pledge_write(actor=olga, team=None, text=WORDS)
    team_pledge = pledge.pledge_write(actor=alice, team=alpha, text="Alpha's own words.")
    pledge.pledge_sign(actor=alice, pledge=team_pledge)
    c = client_for(bob)
    report = c.get("/incidents/new/").content.decode()
    explainer = report.split('id="anonymous-explainer"', 1)[1].split("</fieldset>", 1)[0]
    assert WORDS in explainer and "Alpha's own words." in explainer and "Signed: Alice" in explainer
    assert WORDS in c.get("/incidents/clicked/").content.decode()
    drill = make_drill(alpha)
    drill_page = c.get(f"/drills/{drill.pk}/").content.decode()
    assert WORDS in drill_page and "Alpha's own words." in drill_page
    assert "/incidents/clicked/" in drill_page


def test_the_api_writes_signs_and_refuses_others(
    client_for, alice, bob, charlie, mallory, alpha
) -> None:
    ok = _json(
        client_for(alice), "put", "/api/pledges/teams/alpha", {"text": "We thank reporters."}
    )
    assert ok.status_code == 200 and ok.json()["versions"][0]["number"] == 1
    pk = ok.json()["id"]
    signed = _json(client_for(alice), "post", f"/api/pledges/{pk}/sign", {})
    assert (
        signed.status_code == 201
        and signed.json()["versions"][0]["signatures"][0]["name"] == "Alice"
    )
    assert (
        _json(
            client_for(bob), "put", "/api/pledges/teams/alpha", {"text": "x", "version": 1}
        ).status_code
        == 403
    )
    assert (
        _json(
            client_for(charlie), "put", "/api/pledges/teams/alpha", {"text": "x", "version": 1}
        ).status_code
        == 403
    )
    assert (
        _json(client_for(mallory), "put", "/api/pledges/teams/alpha", {"text": "x"}).status_code
        == 404
    )
    assert _json(client_for(mallory), "post", f"/api/pledges/{pk}/sign", {}).status_code == 404
    assert (
        _json(client_for(alice), "put", "/api/pledges/organisation", {"text": "x"}).status_code
        == 403
    )
    stale = _json(
        client_for(alice), "put", "/api/pledges/teams/alpha", {"text": "New", "version": 7}
    )
    assert stale.status_code == 409
    empty = _json(client_for(alice), "put", "/api/pledges/teams/alpha", {"text": " ", "version": 1})
    assert empty.status_code == 400 and "text" in empty.json()["error"]["fields"]
    assert [p["team"] for p in client_for(bob).get("/api/pledges").json()] == ["alpha"]
    assert client_for(mallory).get("/api/pledges").json() == []
    assert Pledge.objects.get().version == 1
