"""``learnloop seed-demo``: a believable organisation with a year of history (decision 0090).

Counts per state and kind, the anonymous report's unlinkability, dates that agree with the
dashboard, and the re-run behaviour (a second run refuses and changes nothing)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from learnloop.accounts.models import Organisation, Team, User
from learnloop.actions.models import Action
from learnloop.coach.models import CoachFlag, FlagStatus
from learnloop.core.demo import is_demo_address
from learnloop.core.jobs import queue_email
from learnloop.drills.models import Finding
from learnloop.incidents.models import Incident, Kind
from learnloop.lessons.models import Lesson, LessonApplication, SourceKind
from learnloop.notifications.models import Notification
from learnloop.retros.models import TopicAction
from learnloop.reviews.models import Review, Status
from learnloop.tasks.models import Job

pytestmark = pytest.mark.django_db

DEMO = "crumb-and-co-demo"


def test_several_teams_and_incidents_of_every_kind_over_a_year(demo: Organisation) -> None:
    assert Team.objects.filter(organisation=demo).count() >= 4
    assert User.objects.filter(organisation=demo).count() >= 10
    incidents = Incident.objects.filter(team__organisation=demo)
    kinds = Counter(incidents.values_list("kind", flat=True))
    assert set(kinds) == set(Kind.values), kinds
    assert all(kinds[k] >= 2 for k in Kind.values), kinds
    reported = sorted(incidents.values_list("created_at", flat=True))
    now = timezone.now()
    assert now - reported[0] > dt.timedelta(days=300)  # a year of history ...
    assert now - reported[-1] < dt.timedelta(days=3)  # ... up to this week
    assert len({(d.year, d.month) for d in reported}) >= 10  # spread over the months


def test_reported_dates_agree_with_the_incident_times(demo: Organisation) -> None:
    named = Incident.objects.filter(team__organisation=demo, is_anonymous=False)
    for incident in named.exclude(started_at=None):
        # Reported after it started, within two days: the same point on the charts.
        assert incident.started_at is not None
        lag = incident.created_at - incident.started_at
        assert dt.timedelta(0) < lag < dt.timedelta(days=2), incident.title
        times = [incident.detected_at, incident.acknowledged_at, incident.resolved_at]
        known = [t for t in times if t is not None]
        assert known == sorted(known) and all(t >= incident.started_at for t in known)


def test_reviews_in_every_state(demo: Organisation) -> None:
    reviews = Review.objects.filter(team__organisation=demo)
    states = Counter(reviews.values_list("status", flat=True))
    assert states[Status.PUBLISHED] >= 8
    assert states[Status.IN_REVIEW] == 1
    assert states[Status.DRAFT] == 3
    cooling = reviews.filter(opens_at__gt=timezone.now())
    assert cooling.count() == 1 and cooling.get().status == Status.DRAFT
    for review in reviews.filter(status=Status.PUBLISHED):
        assert review.incident is not None and review.published_at is not None
        assert review.incident.created_at < review.created_at < review.published_at
    # One draft has open coach hints; no published review has any.
    open_flags = CoachFlag.objects.filter(status=FlagStatus.OPEN, target_type="review")
    flagged = set(open_flags.values_list("target_id", flat=True))
    assert len(flagged) == 1
    assert reviews.get(pk=flagged.pop()).status == Status.DRAFT


def _days_late(action: Action) -> int:
    assert action.done_at is not None and action.due_date is not None
    return (action.done_at.date() - action.due_date).days


def test_actions_on_time_late_overdue_and_open(demo: Organisation) -> None:
    today = timezone.now().date()
    actions = Action.objects.filter(team__organisation=demo)
    assert not actions.filter(owner=None).exists() and not actions.filter(due_date=None).exists()
    done = actions.filter(status=Action.Status.DONE)
    on_time = [a for a in done if _days_late(a) <= 0]
    late = [a for a in done if _days_late(a) > 0]
    not_done = actions.exclude(status__in=[Action.Status.DONE, Action.Status.WONT_DO])
    overdue = not_done.filter(due_date__lt=today)
    upcoming = not_done.filter(due_date__gte=today)
    assert len(on_time) >= 5 and len(late) >= 3
    assert overdue.count() >= 2 and upcoming.count() >= 2
    # Every action came from a review's next step, a retro (retros/demo.py) or a drill's
    # finding (drills/demo.py).
    assert all(
        a.review_id
        or TopicAction.objects.filter(action=a).exists()
        or Finding.objects.filter(action=a).exists()
        for a in actions
    )


def test_lessons_come_from_reviews_and_are_applied(demo: Organisation) -> None:
    lessons = Lesson.objects.filter(team__organisation=demo)
    from_reviews = lessons.filter(source_kind=SourceKind.REVIEW)
    assert from_reviews.count() >= 8 and from_reviews.count() > lessons.count() // 2
    assert all(lesson.source_review_id for lesson in from_reviews)
    applications = LessonApplication.objects.filter(lesson__in=lessons)
    assert applications.count() >= 6
    reused = lessons.filter(applied_count__gte=2)
    assert reused.exists()
    for application in applications.select_related("incident", "lesson"):
        # Applied on an incident reported after the lesson was learnt.
        assert application.incident is not None
        assert application.incident.created_at > application.lesson.created_at


def test_the_anonymous_report_is_unlinkable(demo: Organisation) -> None:
    anonymous = Incident.objects.get(team__organisation=demo, is_anonymous=True)
    assert anonymous.reporter_id is None
    assert anonymous.pk < 0  # a random id, not a position in the sequence
    for moment in (anonymous.created_at, anonymous.updated_at):
        assert moment.astimezone(dt.UTC).time() == dt.time(0, 0)  # a date only
    assert anonymous.started_at is None


def test_the_dashboard_shows_a_year_of_data_points(demo: Organisation, client_for) -> None:
    amara = User.objects.get(email="amara@demo.learnloop.test")
    response = client_for(amara).get("/incidents/dashboard/")
    assert response.status_code == 200
    charts = {c["title"]: c for c in response.context["charts"]}
    by_month = [c for title, c in charts.items() if title.endswith("by month")]
    assert by_month and all(len(c["rows"]) > 1 for c in by_month), list(charts)
    assert len(charts["Time to resolve by month"]["rows"]) >= 8
    follow_through = charts["Actions by month due"]["rows"]
    assert len(follow_through) >= 5
    totals = [sum(row[i] for row in follow_through) for i in range(1, 5)]
    assert all(totals), totals  # on time, late, overdue and open all appear


def test_a_second_run_refuses_and_changes_nothing(demo: Organisation) -> None:
    before = Incident.objects.count(), Review.objects.count(), User.objects.count()
    with pytest.raises(CommandError, match="already loaded"):
        call_command("seed_demo", stdout=io.StringIO())
    assert (Incident.objects.count(), Review.objects.count(), User.objects.count()) == before


def test_the_demo_queues_no_email_to_its_undeliverable_addresses(
    django_capture_on_commit_callbacks,
) -> None:
    # As in `learnloop seed-demo`, what waits for the commit runs (emails are queued then).
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--password", "demo-password-long", stdout=io.StringIO())
    demo = Organisation.objects.get(slug=DEMO)
    # Loading it notified people (assignments, reviews), which would otherwise email them.
    assert Notification.objects.filter(recipient__organisation=demo).exists()
    people = User.objects.filter(organisation=demo)
    assert people.exists() and all(is_demo_address(p.email) for p in people)
    assert not Job.objects.filter(name="core.send_email").exists()


def test_email_to_a_demo_account_is_left_out_and_real_addresses_kept(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(to=["amara@demo.learnloop.test"], subject="Hello", body="Nobody reads this.")
        queue_email(
            to=["ben@demo.learnloop.test", "ops@example.org"], subject="Hi", body="One reads it."
        )
    queued = {j.args["subject"]: j.args["to"] for j in Job.objects.filter(name="core.send_email")}
    assert "Hello" not in queued  # nobody left to send it to
    assert queued["Hi"] == ["ops@example.org"]
