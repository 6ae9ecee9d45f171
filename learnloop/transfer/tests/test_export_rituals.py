"""Drills, campaigns, the pledge and retros go out in ``learnloop export`` and come back with
``learnloop import`` on a fresh install, giving the same export (decisions/0168); an anonymous
retro card comes back without an author; a bad campaign row refuses the whole file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from learnloop.drills.models import Campaign, Drill, Finding, PledgeVersion
from learnloop.drills.pledge import pledge_sign, pledge_write
from learnloop.retros.models import Card, Retro, Topic
from learnloop.testing.builders import make_campaign, make_card, make_drill, make_retro
from learnloop.transfer.tests.test_export_round_trip import (  # noqa: F401 - fixtures
    as_migrated,
    comparable,
    export,
    fresh_install_import,
    learnloop,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def rituals(as_migrated, org, alpha, alice, bob) -> None:  # noqa: F811
    drill = make_drill(alpha, title="Restore game day", scenario="The database is gone",
                       facilitator=alice, status="reviewed", what_happened="Restored in 40 min")  # fmt: skip
    drill.participants.set([alice, bob])
    Finding.objects.create(drill=drill, text="The runbook named a retired bucket")
    make_campaign(alpha, name="Parcel notice", drill=drill, minutes_to_first_report=4)
    alice.is_org_admin = True
    alice.save()
    pledge = pledge_write(actor=alice, team=None, text="Nobody is punished for an honest error.")
    pledge_sign(actor=alice, pledge=pledge)
    team_pledge = pledge_write(actor=alice, team=alpha, text="We thank early reports.")
    pledge_write(actor=alice, team=alpha, text="We thank every early report.", version=1)
    assert team_pledge.pk
    retro = make_retro(alpha, title="November retro", facilitator=alice, participants=[bob],
                       anonymity="allowed", phase="discuss")  # fmt: skip
    topic = Topic.objects.create(retro=retro, title="Pager fatigue", notes="Rotate weekly")
    make_card(retro, text="Pages at 3am", author=bob, topic=topic)
    make_card(retro, text="Nobody owns alerts", is_anonymous=True, topic=topic)


def test_a_fresh_install_import_gives_the_same_export(rituals, tmp_path: Path) -> None:
    first = export(tmp_path / "one")
    assert [d["title"] for d in first["drills"]] == ["Restore game day"]
    assert first["drills"][0]["findings"] == ["The runbook named a retired bucket"]
    assert first["campaigns"][0]["reported"] == 6 and first["campaigns"][0]["drill"]
    assert {p["team"] for p in first["pledges"]} == {None, "alpha"}
    assert [c["author"] for c in first["retros"][0]["cards"]] == [None, "bob@example.org"] or [
        c["author"] for c in first["retros"][0]["cards"]
    ] == ["bob@example.org", None]
    fresh = tmp_path / "fresh-install"
    learnloop("import", str(tmp_path / "one" / "learnloop.json"), "--no-progress", data_dir=fresh)
    learnloop("export", "--out", str(tmp_path / "two"), data_dir=fresh)
    second = comparable(json.loads((tmp_path / "two" / "learnloop.json").read_text()))
    for section in ("drills", "campaigns", "pledges", "retros"):
        assert first[section] == second[section], section


def test_an_anonymous_card_comes_back_without_an_author(rituals, tmp_path: Path) -> None:
    export(tmp_path / "one")
    path = tmp_path / "one" / "learnloop.json"
    data = json.loads(path.read_text())
    for card in data["retros"][0]["cards"]:
        if card["anonymous"]:
            card["author"] = "bob@example.org"  # a doctored file cannot name the writer
    path.write_text(json.dumps(data))
    fresh_install_import(path)
    anonymous = Card.objects.get(is_anonymous=True)
    assert anonymous.author_id is None and anonymous.pk < 0
    named = Card.objects.get(is_anonymous=False)
    assert named.author is not None and named.author.email == "bob@example.org"
    assert Retro.objects.get().topics.get().title == "Pager fatigue"
    assert PledgeVersion.objects.filter(pledge__team__slug="alpha").count() == 2
    assert Drill.objects.get().findings.count() == 1


def test_a_campaign_that_does_not_add_up_refuses_the_whole_file(rituals, tmp_path: Path) -> None:
    export(tmp_path / "one")
    path = tmp_path / "one" / "learnloop.json"
    data = json.loads(path.read_text())
    data["campaigns"][0]["reported"] = -3
    path.write_text(json.dumps(data))
    out, err = io.StringIO(), io.StringIO()
    from conftest import database_as_migrated

    database_as_migrated()
    with pytest.raises(SystemExit):  # the command fails the file and says why
        call_command("import_files", str(path), "--no-progress", stdout=out, stderr=err)
    assert "campaign campaign-" in err.getvalue() + out.getvalue()
    assert not Campaign.objects.exists() and not Drill.objects.exists()
    assert not Retro.objects.exists()
