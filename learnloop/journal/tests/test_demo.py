"""``learnloop seed-demo``: the person the demo signs in as has a journal (entries in every
shipped framework and one of her own, one linked to an incident, one shared on purpose with her
name), and it stays hers alone: no other demo person has entries or can open hers."""

from __future__ import annotations

import pytest

from learnloop.accounts.models import Organisation, User
from learnloop.journal.frameworks import SHIPPED
from learnloop.journal.models import Entry, Framework, LinkKind, Reminder
from learnloop.lessons.models import SourceKind

pytestmark = pytest.mark.django_db


def test_the_demo_person_has_a_journal_in_several_frameworks(demo: Organisation) -> None:
    amara = User.objects.get(email="amara@demo.learnloop.test")
    entries = list(Entry.objects.of(amara))
    assert len(entries) >= 4
    assert not Entry.objects.filter(author__organisation=demo).exclude(author=amara).exists()
    used = {e.framework_key for e in entries}
    own = Framework.objects.get(organisation=demo, owner=amara)
    assert {f["key"] for f in SHIPPED} | {own.key} == used
    for entry in entries:
        # Every prompt of the framework it was written with is answered, with tags.
        assert len(entry.answered()) == len(entry.prompts) and entry.tags, entry.title
    dates = sorted(e.created_at for e in entries)
    assert len({d.date() for d in dates}) == len(dates)  # written over weeks, not in one go
    (linked,) = [e for e in entries if e.link_kind]
    assert linked.link_kind == LinkKind.INCIDENT and linked.framework_key == "gibbs"
    assert Reminder.objects.get(user=amara).weekday == 4


def test_one_entry_was_shared_with_her_name_and_no_link_back(demo: Organisation) -> None:
    amara = User.objects.get(email="amara@demo.learnloop.test")
    (shared,) = Entry.objects.of(amara).exclude(shared_lesson=None)
    assert not Entry.objects.filter(shared_anonymously=True).exists()
    assert shared.shared_lesson is not None
    lesson = shared.shared_lesson
    assert lesson.source_kind == SourceKind.JOURNAL and not lesson.is_anonymous
    assert lesson.created_by == amara and lesson.created_at > shared.created_at
    assert f"/journal/{shared.pk}" not in f"{lesson.source_url} {lesson.context}"
    # Only the answers she chose are in it.
    assert shared.answers["so_what"] in lesson.context
    assert shared.answers["what"] not in lesson.context


def test_her_entries_are_404_for_every_other_demo_person(demo: Organisation, client_for) -> None:
    amara = User.objects.get(email="amara@demo.learnloop.test")
    entry = Entry.objects.of(amara).first()
    assert entry is not None
    assert entry.title in client_for(amara).get("/journal/").content.decode()
    for other in User.objects.filter(organisation=demo).exclude(pk=amara.pk):
        assert client_for(other).get(f"/journal/{entry.pk}/").status_code == 404, other.email
