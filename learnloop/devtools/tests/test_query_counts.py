"""Query-count guards (not timings): every main page and API list runs a bounded number of SQL
queries whatever the data size, and lists paginate.

Two organisations are seeded once for the module with ``learnloop.devtools.seeding`` (the
benchmark generator): one with 4 incidents, one with 40, so every list holds more than a page
and every detail page has more children. The same page is requested for each organisation's user; the larger one may not
run more queries than the smaller one (plus a small allowance for panels that appear only when
there is something to show, e.g. overdue actions). An N+1 would add a query per row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from learnloop.accounts.models import User
from learnloop.accounts.visibility import team_ids_of
from learnloop.calendars.services import feed_regenerate
from learnloop.debriefs.models import Deliverable
from learnloop.devtools import seeding
from learnloop.drills.models import Drill
from learnloop.experiments.models import Experiment, Showcase
from learnloop.incidents.models import Incident
from learnloop.incidents.services import incident_create
from learnloop.journal.models import Entry
from learnloop.retros.models import Retro
from learnloop.reviews.models import Review
from learnloop.surveys.models import SurveyRound
from learnloop.testing.database import module_transaction
from learnloop.transcripts.models import Transcript
from learnloop.webhooks.models import Endpoint

pytestmark = pytest.mark.django_db

#: Extra queries the larger organisation may run: conditional panels, never per row. Three:
#: the related box loads what it suggests with one query per kind it shows (incident, review,
#: lesson), and a small organisation may have nothing close enough to suggest at all.
ALLOWANCE = 3
#: No page may ever run more than this many queries.
CEILING = 40


def _org(seed: int, incidents: int) -> dict[str, Any]:
    result = seeding.seed(
        scale="small", seed=seed, password="a-long-password-1", team_count=3, incidents=incidents
    )
    seeding.index_organisation(result.organisation_id, processes=1)
    user = User.objects.get(email=result.admin_email)
    review = (
        Review.objects.visible_to(user)
        .filter(incident__isnull=False)
        .order_by("-created_at")
        .first()
    )
    assert review is not None and review.incident is not None
    q = "+".join(review.incident.title.split()[:3])
    survey = SurveyRound.objects.visible_to(user).order_by("-closes_at").first()
    assert survey is not None
    deliverable = (
        Deliverable.objects.visible_to(user)
        .annotate(n=Count("entries"))
        .order_by("-n", "pk")
        .first()
    )
    assert deliverable is not None
    endpoint = Endpoint.objects.filter(organisation_id=user.organisation_id, team__isnull=True)
    retro = (
        Retro.objects.filter(team_id__in=team_ids_of(user), phase="closed").order_by("-id").first()
    )
    assert retro is not None
    transcript = Transcript.objects.filter(participants=user).order_by("-held_on").first()
    assert transcript is not None
    experiment = (
        Experiment.objects.visible_to(user)
        .annotate(n=Count("learning_cards"))
        .order_by("-n", "pk")
        .first()
    )
    showcase = (
        Showcase.objects.visible_to(user).annotate(n=Count("items")).order_by("-n", "pk").first()
    )
    assert experiment is not None and showcase is not None
    # The run drill of the user's teams with the most findings and campaigns; their latest
    # journal entry (the seed gives the admin at least 12).
    drill = (
        Drill.objects.filter(team_id__in=team_ids_of(user))
        .exclude(status="planned")
        .annotate(n=Count("findings", distinct=True) + Count("campaigns", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    journal_entry = Entry.objects.of(user).order_by("-created_at", "-id").first()
    assert drill is not None and journal_entry is not None
    # An anonymous report's page (never kept whole: its related panel is a kept part, 0175).
    anonymous = Incident.objects.visible_to(user).filter(pk__lt=0).order_by("pk").first()
    if anonymous is None:
        anonymous = incident_create(
            actor=user,
            title=review.incident.title,
            description=review.incident.description,
            team=review.incident.team,
            anonymous=True,
        )
    feed = feed_regenerate(actor=user).secret
    team_feed = feed_regenerate(actor=user, team_id=review.team_id).secret
    return {
        "user": user,
        "review": review.pk,
        "incident": review.incident_id,
        "q": q,
        "survey": survey.pk,
        "transcript": transcript.pk,
        "deliverable": deliverable.pk,
        "endpoint": endpoint.get().pk,
        "retro": retro.pk,
        "feed": feed,
        "team_feed": team_feed,
        "team_slug": review.team.slug,
        "experiment": experiment.pk,
        "showcase": showcase.pk,
        "drill": drill.pk,
        "journal_entry": journal_entry.pk,
        "anonymous": anonymous.pk,
    }


@pytest.fixture(scope="module")
def orgs(django_db_setup, django_db_blocker) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Seeded once for the module (the seeding is most of this module's time); each test's own
    writes still roll back after it, and the seed after the module's last test."""
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            seeded = _org(101, 4), _org(102, 40)
        yield seeded


#: A path to GET, or (path, form data) to POST.
PAGES: dict[str, Callable[[dict[str, Any]], str | tuple[str, dict[str, Any]]]] = {
    "home": lambda o: "/",
    "incident list": lambda o: "/incidents/",
    "incident dashboard": lambda o: "/incidents/dashboard/",
    "incident page": lambda o: f"/incidents/{o['incident']}/",
    "incident page (anonymous report)": lambda o: f"/incidents/{o['anonymous']}/",
    "review list": lambda o: "/reviews/",
    "review page": lambda o: f"/reviews/{o['review']}/",
    "actions": lambda o: "/actions/",
    "my actions": lambda o: "/actions/mine/",
    "notifications": lambda o: "/notifications/",
    "library": lambda o: "/lessons/",
    "journal": lambda o: "/journal/",
    "drills": lambda o: "/drills/",
    "campaigns": lambda o: "/drills/campaigns/",
    "drill page": lambda o: f"/drills/{o['drill']}/",
    "drill edit": lambda o: f"/drills/{o['drill']}/edit/",
    "pledge": lambda o: "/drills/pledge/",
    "journal entry": lambda o: f"/journal/{o['journal_entry']}/",
    "journal entry edit": lambda o: f"/journal/{o['journal_entry']}/edit/",
    "search": lambda o: f"/search/?q={o['q']}",
    "related": lambda o: ("/search/related/", {"title": o["q"], "description": "timeouts"}),
    "API incidents": lambda o: "/api/incidents",
    "API reviews": lambda o: "/api/reviews",
    "API actions": lambda o: "/api/actions",
    "API lessons": lambda o: "/api/lessons",
    "API notifications": lambda o: "/api/notifications",
    "API search": lambda o: f"/api/search?q={o['q']}",
    "experiments": lambda o: "/experiments/",
    "experiment portfolio": lambda o: "/experiments/portfolio/?scope=organisation",
    "API experiments": lambda o: "/api/experiments",
    "API experiment portfolio": lambda o: "/api/experiments/portfolio",
    "experiment page": lambda o: f"/experiments/{o['experiment']}/",
    "new test card": lambda o: "/experiments/new/",
    "related while writing a card": lambda o: (
        "/experiments/related/",
        {"title": o["q"], "hypothesis": "timeouts"},
    ),
    "showcases": lambda o: "/experiments/showcases/",
    "showcase page": lambda o: f"/experiments/showcases/{o['showcase']}/",
    "showcase Markdown": lambda o: f"/experiments/showcases/{o['showcase']}/showcase.md",
    "immune-system check": lambda o: "/experiments/diagnostic/?scope=organisation",
    "API showcases": lambda o: "/api/experiments/showcases",
    "API showcase": lambda o: f"/api/experiments/showcases/{o['showcase']}",
    "API immune-system check": lambda o: "/api/experiments/diagnostic",
    "surveys": lambda o: "/surveys/",
    "survey results": lambda o: f"/surveys/{o['survey']}/",
    "API survey rounds": lambda o: "/api/surveys/rounds",
    "API survey results": lambda o: f"/api/surveys/rounds/{o['survey']}/results",
    "transcripts": lambda o: "/transcripts/",
    "transcript page": lambda o: f"/transcripts/{o['transcript']}/",
    "transcript upload": lambda o: f"/transcripts/new/?team={o['team_slug']}",
    "API transcripts": lambda o: "/api/transcripts",
    "API transcript": lambda o: f"/api/transcripts/{o['transcript']}",
    "API team balance": lambda o: f"/api/transcripts/teams/{o['team_slug']}/balance",
    "deliverables": lambda o: "/deliverables/?status=all",
    "deliverable page": lambda o: f"/deliverables/{o['deliverable']}/",
    "recognition": lambda o: "/deliverables/recognition/",
    "API deliverables": lambda o: "/api/debriefs/deliverables",
    "API debrief log": lambda o: f"/api/debriefs/deliverables/{o['deliverable']}/entries",
    "API spread": lambda o: "/api/debriefs/spread",
    "webhooks": lambda o: "/webhooks/",
    "webhook page": lambda o: f"/webhooks/{o['endpoint']}/",
    "API webhooks": lambda o: "/api/webhooks",
    "API webhook deliveries": lambda o: f"/api/webhooks/{o['endpoint']}/deliveries",
    "Slack settings": lambda o: "/chat/",
    "retros": lambda o: "/retros/",
    "retro page": lambda o: f"/retros/{o['retro']}/",
    "retro live state": lambda o: f"/retros/{o['retro']}/state/",
    "retro settings": lambda o: f"/retros/{o['retro']}/settings/",
    "new retro": lambda o: "/retros/new/",
    "API retro carry-over": lambda o: f"/api/retros/{o['retro']}/carry-over",
    "retro formats": lambda o: "/retros/formats/",
    "API retros": lambda o: "/api/retros",
    "API retro board": lambda o: f"/api/retros/{o['retro']}/board",
    "calendar feeds": lambda o: "/calendar/",
    "calendar feed (person)": lambda o: f"/calendar/feed/{o['feed']}.ics",
    "calendar feed (team)": lambda o: f"/calendar/feed/{o['team_feed']}.ics",
    "API calendar feeds": lambda o: "/api/calendars/feeds",
    "CSV import page": lambda o: f"/teams/{o['team_slug']}/import-csv/",
    "API journal": lambda o: "/api/journal/entries",
    "API drills": lambda o: "/api/drills",
    "API campaigns": lambda o: "/api/drills/campaigns",
    "API campaign trend": lambda o: "/api/drills/campaigns/trend",
    "API pledges": lambda o: "/api/pledges",
    "loop metrics (team)": lambda o: f"/metrics/teams/{o['team_slug']}/",
    "loop metrics (organisation)": lambda o: "/metrics/organisation/",
    "loop metric export": lambda o: "/metrics/organisation/repeat-incidents.csv",
    "loop metric export (team)": lambda o: f"/metrics/teams/{o['team_slug']}/learning-yield.json",
    "API loop metrics (team)": lambda o: f"/api/metrics/teams/{o['team_slug']}",
    "API loop metrics (organisation)": lambda o: "/api/metrics/organisation",
}


def _request(client, target: str | tuple[str, dict[str, Any]]):
    if isinstance(target, tuple):
        return client.post(*target)
    return client.get(target)


def _count(client, org: dict[str, Any], path: str | tuple[str, dict[str, Any]]) -> int:
    client.force_login(org["user"])
    assert _request(client, path).status_code == 200  # warm: caches, content types
    with CaptureQueriesContext(connection) as ctx:
        response = _request(client, path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", list(PAGES))
def test_it_runs_a_bounded_number_of_queries_whatever_the_data_size(
    page: str,
    orgs: tuple[dict[str, Any], dict[str, Any]],
    client,
    django_assert_max_num_queries,
) -> None:
    small, large = orgs
    path = PAGES[page]
    few = _count(client, small, path(small))
    assert few <= CEILING, f"{page}: {few} queries"
    client.force_login(large["user"])
    _request(client, path(large))
    with django_assert_max_num_queries(few + ALLOWANCE):
        assert _request(client, path(large)).status_code == 200


def test_it_caps_api_page_sizes(orgs: tuple[dict[str, Any], dict[str, Any]], client) -> None:
    _, large = orgs
    client.force_login(large["user"])
    for path in ["/api/incidents", "/api/reviews", "/api/actions", "/api/lessons"]:
        body = client.get(path, {"page_size": 5}).json()
        assert body["count"] > 5 and len(body["items"]) == 5, path
        assert client.get(path, {"page_size": 100_000}).status_code == 422, path


def test_it_paginates_web_lists(orgs: tuple[dict[str, Any], dict[str, Any]], client) -> None:
    _, large = orgs
    client.force_login(large["user"])
    html = client.get("/incidents/").content.decode()
    shown = set(re.findall(r'href="/incidents/(-?\d+)/"', html))
    assert 0 < len(shown) <= 50
    assert "page=2" in html


def test_the_anonymous_reports_page_keeps_its_related_panel(
    orgs: tuple[dict[str, Any], dict[str, Any]], client, settings
) -> None:
    """The page is never kept whole; with the page cache serving, a repeat view reads the
    related panel kept (decision 0175) instead of its review ids and suggested rows."""
    for org in orgs:
        path = f"/incidents/{org['anonymous']}/"
        full = _count(client, org, path)
        settings.LEARNLOOP_PAGE_CACHE = True
        kept = _count(client, org, path)
        settings.LEARNLOOP_PAGE_CACHE = False
        assert kept <= full and kept <= 10, (full, kept)
