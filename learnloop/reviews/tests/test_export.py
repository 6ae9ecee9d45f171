"""Review export: Markdown with corpus front matter (read back with PyYAML), printable page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from learnloop.actions.models import Action
from learnloop.core.models import Tag
from learnloop.incidents.models import Incident
from learnloop.reviews.export import review_to_markdown, yaml_scalar
from learnloop.reviews.models import ContributingFactor, Learning, Review, TimelineEntry

pytestmark = pytest.mark.django_db

SECTIONS = [
    {"key": "summary", "title": "Summary", "type": "rich_text", "min_count": 0},
    {"key": "timeline", "title": "Timeline", "type": "timeline", "min_count": 0},
    {"key": "factors", "title": "Contributing factors", "type": "factors", "min_count": 0},
    {"key": "well", "title": "What went well", "type": "list", "min_count": 0},
    {"key": "learnings", "title": "Learnings", "type": "learnings", "min_count": 0},
    {"key": "next", "title": "Next steps", "type": "next_steps", "min_count": 0},
]
T0 = dt.datetime(2026, 3, 3, 9, 15, tzinfo=dt.UTC)


def split(document: str) -> tuple[dict[str, Any], str]:
    """What an importer does: front matter between the first two ``---`` lines, then body."""
    assert document.startswith("---\n")
    head, _, body = document[4:].partition("\n---\n")
    return yaml.safe_load(head), body


@pytest.fixture
def review(org, alpha, alice) -> Review:
    incident = Incident.objects.create(
        team=alpha,
        title="Checkout: payments failed",
        description="x",
        severity="sev2",
        started_at=T0,
        resolved_at=T0 + dt.timedelta(hours=2),
    )
    incident.tags.add(Tag.objects.create(organisation=org, name="payments"))
    review = Review.objects.create(
        team=alpha,
        incident=incident,
        title='Checkout outage: "card" errors, 3 March',
        sections=SECTIONS,
        content={
            "summary": "Card payments failed for **2 hours**:\nthe # retry queue filled up.",
            "well": ["Paging worked", "Rollback took 4 minutes"],
            "next": [{"title": "Alert on queue depth", "owner": "", "due_date": "", "kind": ""}],
        },
        status="published",
        published_at=T0 + dt.timedelta(days=2),
    )
    TimelineEntry.objects.create(review=review, at=T0, text="Error rate rises")
    TimelineEntry.objects.create(review=review, at=T0 + dt.timedelta(minutes=7), text="Paged")
    ContributingFactor.objects.create(
        review=review, category="technology", description="Retry queue had no bound"
    )
    Learning.objects.create(review=review, text="Unbounded queues hide overload", position=0)
    Action.objects.create(
        team=alpha, review=review, title="Alert on queue depth", owner=alice, kind="detect",
        due_date=dt.date(2026, 4, 1),
    )  # fmt: skip
    return review


def test_the_markdown_export_has_corpus_front_matter_that_pyyaml_reads(review, alpha) -> None:
    meta, body = split(review_to_markdown(review))
    assert meta["title"] == 'Checkout outage: "card" errors, 3 March'
    assert meta["uuid"] and len(meta["uuid"]) == 36
    assert meta["url"].endswith(f"/reviews/{review.pk}/")
    assert meta["start_time"] == T0
    assert meta["end_time"] == T0 + dt.timedelta(hours=2)
    assert meta["categories"] == [] and meta["keywords"] == ["payments"]
    assert meta["company"] == "Acme" and meta["product"] == "Alpha"
    assert meta["summary"].startswith("Card payments failed for 2 hours: the retry queue")
    assert meta["status"] == "published" and meta["severity"] == "sev2"
    # The same uuid every time, so a re-import updates instead of duplicating.
    assert split(review_to_markdown(review))[0]["uuid"] == meta["uuid"]


def test_the_front_matter_is_single_line_scalars_and_lists_like_the_corpus(review) -> None:
    document = review_to_markdown(review)
    head = document.split("\n---\n", 1)[0].splitlines()[1:]
    for line in head:
        assert line.startswith("- ") or ": " in line or line.endswith(":"), line
    assert "start_time: 2026-03-03T09:15:00Z" in head


def test_the_body_has_the_sections_timeline_factors_learnings_and_actions(review) -> None:
    _, body = split(review_to_markdown(review))
    assert body.lstrip().startswith("# Checkout outage")
    order = ["## Summary", "## Timeline", "## Contributing factors", "## What went well",
             "## Learnings", "## Next steps", "## Actions"]  # fmt: skip
    positions = [body.index(h) for h in order]
    assert positions == sorted(positions)
    assert "Card payments failed for **2 hours**:" in body
    assert "- **2026-03-03 09:15 UTC** — Error rate rises" in body
    assert "- **Technology and tools**: Retry queue had no bound" in body
    assert "- Rollback took 4 minutes" in body
    assert "1. Unbounded queues hide overload" in body
    assert "- Alert on queue depth" in body
    assert "- [ ] Alert on queue depth (Detect, Open, owner Alice, due 2026-04-01)" in body


def test_a_review_without_an_incident_or_content_still_exports(alpha) -> None:
    review = Review.objects.create(team=alpha, title="Quiet week", sections=SECTIONS[:1])
    meta, body = split(review_to_markdown(review))
    assert meta["title"] == "Quiet week" and "start_time" not in meta
    assert "_Nothing written yet._" in body


@pytest.mark.parametrize(
    "value",
    ["plain words", "a: colon", "- dash", "yes", "123", "null", "#hash", "'quote", "é ünïcode",
     "[x]", "{y}", "tab\there", 'say "hi"', "back\\slash", "2026-03-03T09:15:00Z", "@at", "*star"],
)  # fmt: skip
def test_every_scalar_reads_back_unchanged(value) -> None:
    expected = " ".join(value.split())
    assert yaml.safe_load(f"k: {yaml_scalar(value)}") == {"k": expected}


def test_the_export_url_downloads_markdown(review, alice, client_for) -> None:
    for url in (f"/reviews/{review.pk}/export.md", f"/api/reviews/{review.pk}/export.md"):
        response = client_for(alice).get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/markdown")
        assert "attachment" in response["Content-Disposition"]
        assert split(response.content.decode())[0]["title"].startswith("Checkout outage")


def test_the_printable_page_has_print_css_and_no_navigation(review, alice, client_for) -> None:
    response = client_for(alice).get(f"/reviews/{review.pk}/print/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "reviews/print.css" in html and "<nav" not in html
    assert "<h2>Timeline</h2>" in html and "<strong>2 hours</strong>" in html
    assert "Retry queue had no bound" in html
    from django.contrib.staticfiles import finders

    css = open(finders.find("reviews/print.css")).read()  # noqa: SIM115
    assert "@media print" in css and "@page" in css


def test_the_printable_page_sanitises_what_people_wrote(alpha, alice, client_for) -> None:
    review = Review.objects.create(
        team=alpha, title="<b>x</b>", sections=SECTIONS[:1],
        content={"summary": "<img src=x onerror=alert(1)> [a](javascript:alert(1))"},
    )  # fmt: skip
    html = client_for(alice).get(f"/reviews/{review.pk}/print/").content.decode()
    assert "onerror" not in html.replace("onerror=alert(1)&gt;", "")
    assert 'href="javascript' not in html and "<b>x</b>" not in html


@pytest.mark.parametrize("intruder", ["charlie", "mallory"])
def test_other_teams_and_organisations_get_404(
    review, charlie, mallory, client_for, intruder
) -> None:
    client = client_for({"charlie": charlie, "mallory": mallory}[intruder])
    for url in (
        f"/reviews/{review.pk}/export.md",
        f"/reviews/{review.pk}/print/",
        f"/api/reviews/{review.pk}/export.md",
    ):
        assert client.get(url).status_code == 404, url


def test_signed_out_visitors_are_sent_to_sign_in(review, client) -> None:
    for url in ("export.md", "print/", "extras/", "meeting.ics", "comments/"):
        response = client.get(f"/reviews/{review.pk}/{url}")
        assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(f"/api/reviews/{review.pk}/export.md").status_code == 401


def test_the_printable_page_has_one_actions_section(alpha, alice, client_for) -> None:
    """Issue 11, item 12: a template whose next steps are titled "Actions" (the 24-hour review)
    printed two "Actions" sections; a next step that became an action shows as that action."""
    sections = [
        {"key": "learnings", "title": "Learnings", "type": "learnings", "min_count": 0},
        {"key": "actions", "title": "Actions", "type": "next_steps", "min_count": 0},
    ]
    review = Review.objects.create(team=alpha, title="Badge lists", sections=sections)
    linked = Action.objects.create(
        team=alpha, review=review, title="Single source for badge lists", owner=alice,
        kind="prevent", due_date=dt.date(2026, 4, 1),
    )  # fmt: skip
    Action.objects.create(team=alpha, review=review, title="Ask the vendor", kind="detect")
    review.content = {
        "actions": [
            {"title": linked.title, "owner": alice.pk, "due_date": "2026-04-01",
             "kind": "prevent", "action_id": linked.pk},
            {"title": "Not an action yet", "owner": None, "due_date": None, "kind": "prevent"},
        ]
    }  # fmt: skip
    review.save()
    html = client_for(alice).get(f"/reviews/{review.pk}/print/").content.decode()
    assert html.count(">Actions</h2>") == 1
    assert html.count("Single source for badge lists") == 1
    assert "Prevent, Open, owner Alice, due 2026-04-01" in html
    assert "Not an action yet" in html
    # An action added elsewhere still shows, under a heading of its own.
    assert ">Other actions</h2>" in html and "Ask the vendor" in html
