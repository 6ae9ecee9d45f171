"""The durable queue: jobs run once, failures retry with backoff, concurrent workers never
take the same job twice."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from learnloop.tasks.models import Job
from learnloop.tasks.registry import REGISTRY, enqueue, enqueue_each, job
from learnloop.tasks.worker import claim, requeue_expired, run_due_jobs

RUNS: list[int] = []
LOCK = threading.Lock()


@job("tests.record")
def record(*, n: int) -> None:
    with LOCK:
        RUNS.append(n)


@job("tests.flaky")
def flaky(*, fail_times: int, key: str) -> None:
    with LOCK:
        RUNS.append(-1)
        if RUNS.count(-1) <= fail_times:
            raise RuntimeError("transient")


@pytest.fixture(autouse=True)
def _reset() -> None:
    RUNS.clear()


@pytest.mark.django_db
def test_it_runs_a_job_after_commit(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("tests.record", args={"n": 7})
    assert run_due_jobs() == 1
    assert RUNS == [7]
    assert Job.objects.get().status == Job.Status.DONE


@pytest.mark.django_db
def test_it_retries_failures_then_gives_up(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("tests.flaky", args={"fail_times": 10, "key": "a"}, max_attempts=2)
    run_due_jobs()
    j = Job.objects.get()
    assert j.status == Job.Status.QUEUED and "transient" in j.last_error and j.attempts == 1
    Job.objects.update(run_at=j.created_at)
    run_due_jobs()
    assert Job.objects.get().status == Job.Status.FAILED


@pytest.mark.django_db
def test_unique_jobs_are_not_duplicated_while_pending(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("tests.record", args={"n": 1}, unique_key="k")
        enqueue("tests.record", args={"n": 2}, unique_key="k")
    assert Job.objects.count() == 1
    run_due_jobs()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("tests.record", args={"n": 3}, unique_key="k")
    assert Job.objects.count() == 2


@pytest.mark.django_db
def test_an_expired_lease_is_requeued(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("tests.record", args={"n": 1})
    assert claim("dead-worker") is not None
    assert claim("other") is None
    from django.utils import timezone

    Job.objects.update(locked_until=timezone.now())
    assert requeue_expired() == 1
    assert run_due_jobs() == 1 and RUNS == [1]


@pytest.mark.django_db
def test_enqueue_each_queues_one_job_per_item_once_committed(
    django_capture_on_commit_callbacks,
) -> None:
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_each("tests.record", args=[{"n": 1}, {"n": 2}])
        transaction.set_rollback(True)  # a rolled-back change queues nothing
    assert not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_each("tests.record", args=[{"n": 1}, {"n": 2}, {"n": 3}])
        enqueue_each("tests.record", args=[])
    assert len(callbacks) == 1  # one statement for the three, none for nothing
    assert run_due_jobs() == 3 and sorted(RUNS) == [1, 2, 3]


def test_unknown_job_names_are_refused() -> None:
    with pytest.raises(KeyError):
        enqueue("tests.nope")
    with pytest.raises(KeyError):
        enqueue_each("tests.nope", args=[{}])
    assert "tests.record" in REGISTRY


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_workers_never_run_a_job_twice() -> None:
    Job.objects.bulk_create(
        [Job(name="tests.record", args={"n": i}, run_at="2000-01-01T00:00:00Z") for i in range(60)]
    )
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            run_due_jobs(worker_id=f"w{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(RUNS) == list(range(60))
    assert Job.objects.filter(status=Job.Status.DONE).count() == 60
    assert Job.objects.values("locked_by").distinct().count() >= 1
