"""``learnloop seed``'s individual level (issue 15): drills with findings, campaign counts that
the product itself would accept, versioned and signed pledges, and private journals whose every
row has its author (and whose shares are the author's named lessons, with no link back)."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from learnloop.accounts.models import Organisation
from learnloop.accounts.visibility import team_ids_of
from learnloop.drills.campaigns import campaign_check
from learnloop.drills.models import Campaign, Drill, DrillStatus, Finding, Pledge
from learnloop.incidents.models import Incident
from learnloop.journal.models import Entry, LinkKind
from learnloop.lessons.models import SourceKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> Organisation:
    call_command("seed", scale="small", seed=3, no_progress=True, jobs=1, stdout=io.StringIO())
    return Organisation.objects.get(slug="seed-3")


def test_drills_in_every_state_with_findings_followed_up(seeded: Organisation) -> None:
    drills = Drill.objects.filter(team__organisation=seeded)
    states = Counter(drills.values_list("status", flat=True))
    assert set(states) == set(DrillStatus.values), states
    assert set(drills.values_list("team_id", flat=True)) == set(
        seeded.teams.values_list("pk", flat=True)
    )
    for drill in drills.filter(status=DrillStatus.REVIEWED):
        assert drill.after_action and all(drill.after_action.values())
    assert not drills.filter(status=DrillStatus.PLANNED, findings__isnull=False).exists()
    findings = Finding.objects.filter(drill__in=drills).select_related("drill", "action", "lesson")
    assert findings.exists()
    followed = [f for f in findings if f.action_id or f.lesson_id]
    assert any(f.action_id for f in followed) and any(f.lesson_id for f in followed)
    for finding in followed:
        made = finding.action or finding.lesson
        assert made is not None and made.team_id == finding.drill.team_id
        assert finding.drill.status == DrillStatus.REVIEWED


def test_campaign_counts_add_up_as_the_product_checks_them(seeded: Organisation) -> None:
    campaigns = Campaign.objects.filter(team__organisation=seeded)
    assert campaigns.count() >= 4 * seeded.teams.count()
    assert campaigns.exclude(drill=None).exists()
    for c in campaigns:
        sent = c.reported + c.clicked + c.ignored
        values = {
            "name": c.name,
            "kind": c.kind,
            "ran_on": c.ran_on,
            "reported": c.reported,
            "clicked": c.clicked,
            "ignored": c.ignored,
            "sent": sent,
            "minutes_to_first_report": c.minutes_to_first_report,
        }
        assert campaign_check(values) == {}, (c.name, values)
        assert c.drill is None or c.drill.team_id == c.team_id


def test_pledges_are_versioned_and_signed(seeded: Organisation) -> None:
    pledges = Pledge.objects.filter(organisation=seeded)
    assert pledges.filter(team=None).count() == 1 and pledges.exclude(team=None).exists()
    for pledge in pledges:
        numbers = list(pledge.versions.order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, pledge.version + 1))
        written = [v.written_at for v in pledge.versions.order_by("number")]
        assert written == sorted(written)
        for version in pledge.versions.all():
            assert version.signatures.exists() and version.written_by_name
    assert pledges.get(team=None).version >= 2


def test_journal_rows_only_with_their_authors(seeded: Organisation) -> None:
    entries = Entry.objects.filter(author__organisation=seeded).select_related("author")
    assert entries.count() > 0
    assert not Entry.objects.filter(author=None).exists()
    bench = seeded.users.get(email="bench@seed3.example")
    assert Entry.objects.of(bench).count() >= 12  # the load test's journal pages have rows
    keys = Counter(entries.values_list("framework_key", flat=True))
    assert len(keys) >= 4 and any(k.startswith("custom-") for k in keys)
    for entry in entries.exclude(link_kind=""):
        # About an incident of the author's own teams, reported before the entry.
        assert entry.link_kind == LinkKind.INCIDENT and entry.link_id is not None
        incident = Incident.objects.get(pk=entry.link_id)
        assert incident.team_id in team_ids_of(entry.author)
        assert incident.created_at < entry.created_at
    shared = entries.exclude(shared_lesson=None).select_related("shared_lesson")
    assert shared.exists() and not entries.filter(shared_anonymously=True).exists()
    for entry in shared:
        lesson = entry.shared_lesson
        assert lesson is not None and lesson.source_kind == SourceKind.JOURNAL
        assert lesson.created_by_id == entry.author_id and not lesson.is_anonymous
        assert lesson.team_id in team_ids_of(entry.author)
        assert lesson.created_at >= entry.created_at
        assert not lesson.source_url and f"/journal/{entry.pk}" not in lesson.context
