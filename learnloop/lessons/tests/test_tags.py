"""Issue 10: one tag rule for incidents and lessons (learnloop/core/tags.py), enforced by the
database, and the migration that merges the case duplicates made before (decisions/0015)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from learnloop.core.models import Tag
from learnloop.incidents.models import Incident
from learnloop.incidents.services import incident_create
from learnloop.lessons import services as lessons
from learnloop.lessons.models import Lesson
from learnloop.testing.builders import make_incident, make_lesson


def test_incidents_and_lessons_share_one_tag_whatever_the_case(client_for, bob, alpha):
    lesson = lessons.lesson_create(actor=bob, team=alpha, statement="Index it.", tags=["Database"])
    incident = incident_create(
        actor=bob, title="Slow query", description="x", tags="database, DATABASE ,deploy"
    )
    assert Tag.objects.filter(organisation=alpha.organisation).count() == 2
    assert [t.name for t in incident.tags.all()] == ["Database", "deploy"]  # first spelling kept
    assert lesson.tags.get() == incident.tags.get(name="Database")

    c = client_for(bob)
    found = c.get("/api/incidents", {"tag": "DATABASE"}).json()["items"]
    assert [i["id"] for i in found] == [incident.pk]
    found = c.get("/api/lessons", {"tag": "database"}).json()["items"]
    assert [i["id"] for i in found] == [lesson.pk]


def test_an_anonymous_report_reuses_tags_and_creates_new_ones_with_random_ids(alice, bob, alpha):
    incident_create(actor=bob, title="Named", description="x", tags=["Database"])
    anonymous = incident_create(
        actor=alice, title="Anon", description="y", tags=["DATABASE", "Only-Anon"], anonymous=True
    )
    database = Tag.objects.get(name="Database")
    assert database.pk > 0
    tag_ids = {t.name: t.pk for t in anonymous.tags.all()}
    assert tag_ids == {"Database": database.pk, "Only-Anon": tag_ids["Only-Anon"]}
    assert tag_ids["Only-Anon"] < 0
    links = Incident.tags.through.objects.filter(incident_id=anonymous.pk)
    assert links.count() == 2 and all(pk < 0 for pk in links.values_list("pk", flat=True))


def test_the_database_refuses_a_second_tag_differing_only_in_case(org, mallory):
    Tag.objects.create(organisation=org, name="Database")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(organisation=org, name="dataBASE")
    Tag.objects.create(organisation=mallory.organisation, name="database")  # another organisation
    assert Tag.objects.count() == 2


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_merges_case_duplicates_and_their_links(org, alpha, bob, mallory):
    """Duplicates made before the rule (state before core 0003) are merged by migrating
    forward: one tag per name ignoring case, every link re-pointed, none doubled, anonymous
    link rows keep their random ids, other organisations untouched, the index then refuses."""
    _migrate([("core", "0002_rate_limits")])
    try:
        upper = Tag.objects.create(organisation=org, name="Database")
        lower = Tag.objects.create(organisation=org, name="database")
        anon_tag = Tag(pk=-123456789, organisation=org, name="DATABASE")
        anon_tag.save(force_insert=True)
        deploy = Tag.objects.create(organisation=org, name="deploy")
        elsewhere = Tag.objects.create(organisation=mallory.organisation, name="Database")
        both = make_incident(alpha, title="Both spellings")
        both.tags.set([upper, lower, deploy])
        only_lower = make_incident(alpha, title="Lower only")
        only_lower.tags.set([lower])
        anonymous = incident_create(actor=bob, title="Anon", description="x", anonymous=True)
        through = Incident.tags.through
        anon_link = through.objects.create(pk=-987654321, incident=anonymous, tag=anon_tag)
        lesson = make_lesson(alpha)
        lesson.tags.set([lower, anon_tag])
    finally:
        _migrate([])

    # "database" had the most links (3), so it is the one kept, with its spelling.
    assert list(Tag.objects.filter(organisation=org).values_list("pk", "name")) == [
        (lower.pk, "database"),
        (deploy.pk, "deploy"),
    ]
    assert sorted(t.name for t in Incident.objects.get(pk=both.pk).tags.all()) == [
        "database",
        "deploy",
    ]
    assert through.objects.filter(incident_id=both.pk, tag_id=lower.pk).count() == 1
    assert [t.pk for t in Incident.objects.get(pk=only_lower.pk).tags.all()] == [lower.pk]
    moved = through.objects.get(incident_id=anonymous.pk)
    assert (moved.pk, moved.tag_id) == (anon_link.pk, lower.pk)  # same random link id
    assert Lesson.tags.through.objects.filter(lesson_id=lesson.pk).count() == 1
    assert [t.pk for t in Lesson.objects.get(pk=lesson.pk).tags.all()] == [lower.pk]
    assert Tag.objects.get(pk=elsewhere.pk).name == "Database"
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(organisation=org, name="DATABASE")
