"""``learnloop import`` in bulk (decision 0087): files committed in groups, each file still all
or nothing; tags resolved in a few statements; the coach's flags left to a worker job whose
arguments are review ids only."""

from __future__ import annotations

from pathlib import Path

import pytest

from learnloop.coach.models import CoachFlag
from learnloop.core.models import Tag
from learnloop.core.tags import tags_resolve
from learnloop.incidents.models import Incident
from learnloop.lessons.models import ImportRecord
from learnloop.reviews.models import Review
from learnloop.testing.statistics import assert_refreshed, forget_statistics, statistics_mark
from learnloop.transfer.tests.test_import_export import GOOD, run_import, write


def short(n: int, body: str = "A queue filled up because a consumer stopped.") -> str:
    return f"""---
uuid: 22222222-aaaa-4bbb-8ccc-00000000000{n}
title: Queue backlog {n}
categories: []
keywords:
- queue {n}
---

{body}
"""


def test_a_failing_file_inside_a_group_leaves_nothing_and_the_group_is_kept(
    tmp_path: Path, org, monkeypatch
) -> None:
    from learnloop.transfer import markdown_import as importing
    from learnloop.transfer.management.commands import import_files

    monkeypatch.setattr(import_files, "FILES_PER_COMMIT", 3)  # all three in one transaction
    monkeypatch.setattr(importing, "BODY_MAX", 100)  # GOOD's body is longer: it fails late
    paths = [
        write(tmp_path, "a.md", short(1)),
        write(tmp_path, "long.md", GOOD),
        write(tmp_path, "b.md", short(2)),
    ]
    code, out, err = run_import(*map(str, paths), "--team", "SRE")
    assert code == 1 and "body: too long" in err, err
    assert out.strip() == "imported 2, updated 0, failed 1"
    assert sorted(Incident.objects.values_list("title", flat=True)) == [
        "Queue backlog 1",
        "Queue backlog 2",
    ]
    assert Review.objects.count() == 2 and ImportRecord.objects.count() == 2
    # The failed file's incident and tags were written before its body was refused: its
    # savepoint took them back, the other files of its transaction stayed.
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["queue 1", "queue 2"]


def test_new_tags_are_resolved_in_a_few_statements(org, django_assert_max_num_queries) -> None:
    Tag.objects.create(organisation=org, name="Database")
    names = ["database", *(f"new tag {i}" for i in range(15))]
    with django_assert_max_num_queries(3):  # find, insert the missing ones, read them back
        tags = tags_resolve(organisation=org, names=names)
    assert [t.name for t in tags] == ["Database", *names[1:]]
    assert Tag.objects.filter(organisation=org).count() == 16
    assert tags_resolve(organisation=org, names=["NEW TAG 3"])[0].pk == tags[4].pk


def test_anonymous_tags_made_in_bulk_get_random_negative_ids(org) -> None:
    tags = tags_resolve(organisation=org, names=["quiet one", "quiet two"], anonymous=True)
    assert all(t.pk < 0 for t in tags)


@pytest.fixture
def committed(restore_migrated_data: None, transactional_db: None) -> None:
    """Real commits; afterwards the database is put back as migrations left it."""


@pytest.mark.usefixtures("committed")
def test_the_coach_flags_of_imported_reviews_come_from_a_job_with_review_ids_only(
    tmp_path: Path, org, run_jobs
) -> None:
    from learnloop.tasks.models import Job

    blameful = "Bob forgot to renew the certificate. The on-call engineer was careless."
    paths = [write(tmp_path, f"{n}.md", short(n, blameful)) for n in (1, 2)]
    code, out, err = run_import(*map(str, paths), "--team", "SRE")
    assert code == 0, err
    assert out.strip() == "imported 2, updated 0, failed 0"
    assert not CoachFlag.objects.exists()  # not synced in the import itself
    jobs = list(Job.objects.filter(name="coach.sync_reviews").values_list("args", flat=True))
    review_ids = sorted(Review.objects.values_list("pk", flat=True))
    assert jobs == [{"review_ids": review_ids}]  # ids only: no person, no text
    run_jobs()
    flagged = set(CoachFlag.objects.values_list("target_id", flat=True))
    assert flagged == set(review_ids)


@pytest.mark.usefixtures("committed")
def test_a_committed_import_refreshes_planner_statistics_as_the_seed_does(
    tmp_path: Path, org
) -> None:
    """Decision 0248's step after a bulk load: ANALYZE on SQLite, VACUUM (ANALYZE) on
    PostgreSQL, once every group is committed (VACUUM cannot run in a transaction block)."""
    before = forget_statistics()
    paths = [write(tmp_path, f"{n}.md", short(n)) for n in (1, 2)]
    code, out, err = run_import(*map(str, paths), "--team", "SRE")
    assert code == 0, err
    assert out.strip() == "imported 2, updated 0, failed 0"  # stdout: the summary alone
    assert_refreshed(before, statistics_mark())


@pytest.mark.usefixtures("committed")
def test_an_import_that_writes_nothing_leaves_the_statistics_alone(tmp_path: Path, org) -> None:
    before = forget_statistics()
    code, out, err = run_import(str(write(tmp_path, "bad.md", "no front matter")), "--team", "SRE")
    assert code == 1 and out.strip() == "imported 0, updated 0, failed 1", err
    assert statistics_mark() == before
