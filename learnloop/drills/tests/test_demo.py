"""``learnloop seed-demo``: the demo organisation has the leaders' pledges, a reviewed tabletop
exercise whose findings became an action and a lesson, a phishing simulation whose two waves
show the report rate rising, campaign results for other teams, and a planned restore test."""

from __future__ import annotations

import pytest
from django.utils import timezone

from learnloop.accounts.models import Organisation, User
from learnloop.actions.models import Action
from learnloop.drills.aar import AAR_KEYS
from learnloop.drills.campaigns import trend
from learnloop.drills.models import Campaign, Drill, DrillKind, DrillStatus, Pledge
from learnloop.lessons.models import Lesson

pytestmark = pytest.mark.django_db


def _person(key: str) -> User:
    person: User = User.objects.get(email=f"{key}@demo.learnloop.test")
    return person


def test_the_pledges_are_versioned_signed_and_shown(demo: Organisation, client_for) -> None:
    today = timezone.now().date()
    org_pledge = Pledge.objects.get(organisation=demo, team=None)
    versions = list(org_pledge.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2] and org_pledge.version == 2
    assert versions[0].written_at < versions[1].written_at < timezone.now()
    assert "recklessness" in versions[1].text and "recklessness" not in versions[0].text
    for version in versions:
        (signature,) = version.signatures.all()
        assert signature.signer == _person("amara") and signature.name == "Amara Okafor"
        assert signature.signed_on == version.written_at.date() < today
    team_pledge = Pledge.objects.get(organisation=demo, team__slug="delivery")
    assert [s.name for s in team_pledge.versions.get().signatures.all()] == ["Tomás Ruiz"]
    # A member who wrote none of it sees both words on the pledge page and the report form.
    page = client_for(_person("oskar")).get("/drills/pledge/").content.decode()
    assert "deliberate harm and recklessness" in page
    form = client_for(_person("oskar")).get("/incidents/new/").content.decode()
    assert "Hold us to this." in form and "never a mark against their name" in form


def test_a_tabletop_was_run_and_its_findings_followed_up(demo: Organisation, client_for) -> None:
    drills = Drill.objects.filter(team__organisation=demo)
    kinds = {d.kind: d for d in drills}
    assert {DrillKind.TABLETOP, DrillKind.PHISHING, DrillKind.RESTORE} <= set(kinds)
    tabletop = kinds[DrillKind.TABLETOP]
    assert tabletop.status == DrillStatus.REVIEWED and tabletop.what_happened
    assert sorted(tabletop.after_action) == sorted(AAR_KEYS)
    assert all(tabletop.after_action.values())
    assert tabletop.participants.count() >= 3 and tabletop.facilitator is not None
    findings = list(tabletop.findings.all())
    (action,) = [Action.objects.get(pk=f.action_id) for f in findings if f.action_id]
    assert action.owner is not None and action.due_date and action.team == tabletop.team
    (lesson,) = [Lesson.objects.get(pk=f.lesson_id) for f in findings if f.lesson_id]
    assert lesson.source_label == f"Drill: {tabletop.title}"
    assert any(f.action_id is None and f.lesson_id is None for f in findings)
    restore = kinds[DrillKind.RESTORE]
    assert restore.status == DrillStatus.PLANNED and restore.planned_for > timezone.now().date()
    page = client_for(_person("priya")).get(f"/drills/{tabletop.pk}/").content.decode()
    assert action.title in page and "What actually happened?" in page


def test_the_phishing_waves_show_a_trend_in_counts_only(demo: Organisation, client_for) -> None:
    drill = Drill.objects.get(team__organisation=demo, kind=DrillKind.PHISHING)
    waves = list(drill.campaigns.order_by("ran_on"))
    assert len(waves) == 2
    first, second = trend(waves)
    assert second.change is not None and second.change > 0  # more people reported it
    assert (second.campaign.minutes_to_first_report or 0) < (
        first.campaign.minutes_to_first_report or 0
    )
    campaigns = Campaign.objects.filter(team__organisation=demo)
    assert campaigns.count() >= 5
    assert {c.team.slug for c in campaigns} >= {"support", "delivery", "platform"}
    assert all(c.people >= 5 and c.reported + c.clicked + c.ignored == c.people for c in campaigns)
    page = client_for(_person("hana")).get(f"/drills/{drill.pk}/").content.decode()
    assert waves[1].name in page and "not a record about anyone" in page
    assert client_for(_person("hana")).get("/drills/campaigns/").status_code == 200
