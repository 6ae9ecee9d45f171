"""Closing: chosen lessons learned and opportunities become library lessons with source
"debrief", linked back and searchable; the closing summary as Markdown."""

from __future__ import annotations

import pytest

from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.debriefs.closing import deliverable_close, summary_markdown
from learnloop.lessons.models import Lesson
from learnloop.search.selectors import search
from learnloop.testing.builders import make_entry

pytestmark = pytest.mark.django_db


def test_closing_promotes_the_chosen_entries(alice, bob, deliverable) -> None:
    make_entry(deliverable, author=bob, kind="win", text="Shipped early.")
    lesson_entry = make_entry(
        deliverable,
        author=bob,
        kind="lesson",
        text="Idempotency keys stop duplicate payment retries. We saw it twice in staging.",
    )
    opportunity = make_entry(deliverable, author=alice, kind="opportunity", text="Load tests.")
    closed, lessons = deliverable_close(
        actor=alice, deliverable=deliverable, promote=[lesson_entry.pk]
    )
    assert closed.status == "closed"
    (lesson,) = lessons
    assert lesson.source_kind == "debrief" and lesson.source_debrief_entry == lesson_entry
    assert lesson.statement == "Idempotency keys stop duplicate payment retries."
    assert "twice in staging" in lesson.context and lesson.source_label == "Checkout redesign"
    assert lesson.source_key == f"entry:{lesson_entry.pk}"
    found = search(alice, "idempotency keys", {"kinds": ["lesson"]}).results
    assert [r.object_id for r in found] == [lesson.pk]
    # Again, with one more: the first is not promoted twice.
    _, more = deliverable_close(
        actor=alice, deliverable=closed, promote=[lesson_entry.pk, opportunity.pk]
    )
    assert [m.source_debrief_entry_id for m in more] == [opportunity.pk]
    assert Lesson.objects.count() == 2


def test_wins_and_other_deliverables_entries_cannot_be_promoted(
    alice, bob, alpha, deliverable
) -> None:
    from learnloop.testing.builders import make_deliverable

    win = make_entry(deliverable, author=bob, kind="win")
    other = make_entry(make_deliverable(alpha, title="Other"), author=bob, kind="lesson")
    for choice in ([win.pk], [other.pk], ["x"]):
        with pytest.raises(ApplicationError) as exc:
            deliverable_close(actor=alice, deliverable=deliverable, promote=choice)
        assert "promote" in exc.value.fields
    deliverable.refresh_from_db()
    assert deliverable.status == "active" and not Lesson.objects.exists()


def test_only_the_owner_or_a_facilitator_closes(bob, deliverable) -> None:
    with pytest.raises(PermissionDenied):
        deliverable_close(actor=bob, deliverable=deliverable)


def test_the_summary_lists_each_kind_and_who_contributed(alice, bob, deliverable) -> None:
    make_entry(deliverable, author=bob, kind="win", text="Shipped early.")
    make_entry(deliverable, author=alice, kind="lesson", text="Flags need owners.")
    text = summary_markdown(deliverable, list(deliverable.entries.all()))
    assert text.startswith("# Checkout redesign\n")
    assert "## Wins\n\n- Shipped early. — " in text
    assert "## Opportunities\n\nNone noted." in text
    assert "## Lessons learned\n\n- Flags need owners. — " in text
    assert f"## Who contributed\n\n- {alice.name}\n- {bob.name}" in text or (
        f"- {bob.name}\n- {alice.name}" in text
    )


def test_close_page_and_summary_download(client_for, alice, bob, deliverable) -> None:
    entry = make_entry(deliverable, author=bob, kind="lesson", text="Retry budgets per client.")
    client = client_for(alice)
    page = client.get(f"/deliverables/{deliverable.pk}/close/").content.decode()
    assert f'value="{entry.pk}"' in page
    response = client.post(f"/deliverables/{deliverable.pk}/close/", {"promote": [entry.pk]})
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert lesson.source_debrief_entry == entry
    body = client.get(f"/lessons/{lesson.pk}/").content.decode()
    assert f'href="/deliverables/entries/{entry.pk}/"' in body
    md = client.get(f"/deliverables/{deliverable.pk}/summary.md")
    assert md.status_code == 200 and md["Content-Type"].startswith("text/markdown")
    assert "Retry budgets per client. — " in md.content.decode()


def test_api_close_promotes(api, alice, bob, deliverable) -> None:
    entry = make_entry(deliverable, author=bob, kind="opportunity", text="Cache warmups.")
    response = api(alice).post(
        f"/api/debriefs/deliverables/{deliverable.pk}/close", {"promote": [entry.pk]}
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert Lesson.objects.get().source_debrief_entry == entry
    bad = api(alice).post(f"/api/debriefs/deliverables/{deliverable.pk}/close", {"promote": [0]})
    assert bad.status_code == 400
