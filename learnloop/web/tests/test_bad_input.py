"""No input ever gets a 500, and the API answers every error in one shape (issue 9, findings
4 and 6; docs/decisions/0012-input-validation.md).

Two walks, both driven by what the project declares rather than a hand-kept list:

* every API operation in the OpenAPI document, each path parameter, query parameter and body
  field in turn replaced by a nasty value (the others valid, so the value reaches the code
  behind the first check);
* every web URL in the URL configuration, with nasty ids and nasty query / form values.

A nasty value must get a status below 500; an API error must be
``{"error": {"code", "message", "fields"}}`` with a JSON content type.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from learnloop.accounts.models import User
from learnloop.accounts.services import api_token_create
from learnloop.api.router import api as ninja_api
from learnloop.coach import services as coach_services
from learnloop.drills.models import Finding
from learnloop.drills.pledge import pledge_write
from learnloop.experiments.models import Experiment, LearningCard
from learnloop.notifications.services import notification_create
from learnloop.retros.models import Card, Retro, RetroFormat, Topic, TopicAction
from learnloop.reviews import comments as review_comments
from learnloop.reviews import services as review_services
from learnloop.reviews.models import ReviewTemplate
from learnloop.testing.builders import (
    MEETING_VTT,
    make_card,
    make_deliverable,
    make_drill,
    make_entry,
    make_experiment,
    make_incident,
    make_journal_entry,
    make_lesson,
    make_retro,
    make_survey_round,
    make_transcript,
    make_webhook_endpoint,
)

pytestmark = pytest.mark.django_db

HUGE = "10000000000000000000"  # > 2**63
FAR_FUTURE = "9999-12-31T23:59:59-14:00"  # overflows year 9999 in UTC
FAR_PAST = "0001-01-01T00:00:00+14:00"  # underflows year 1 in UTC

#: Values for text in a query string, a path or a JSON body.
NASTY_TEXT = {
    "huge": HUGE,
    "huge_negative": "-" + HUGE,
    "float": "1e20",
    "negative": "-1",
    "unicode_digit": "\u00b9",  # "¹": str.isdigit() is true, int() refuses it
    "arabic_digit": "\u0663",  # "٣": int() reads it as 3
    "surrogate": "x\ud800y",
    "nul": "x\x00y",
    "far_future": FAR_FUTURE,
    "far_past": FAR_PAST,
}
#: Values for JSON integers.
NASTY_INT: dict[str, Any] = {
    "huge": 10**20,
    "huge_negative": -(10**20),
    "negative": -1,
    "unicode_digit": "\u00b9",
    "float": 1e20,
}
#: Values for JSON date-times and dates.
NASTY_DATETIME = {
    "far_future": FAR_FUTURE,
    "far_past": FAR_PAST,
    "year_9999": "9999-12-31",
    "year_1": "0001-01-01T00:00:00Z",
    "nul": "2026-01-01\x00",
}


# --- the world every walk runs in ---------------------------------------------------------


@pytest.fixture
def world(alice, alpha) -> dict[str, Any]:
    """One of everything in Alpha, owned by alice (team admin), and alice's API token."""
    from learnloop.actions.services import action_create

    template = ReviewTemplate.objects.get(slug="incident-review", is_shipped=True)
    incident = make_incident(
        alpha, reporter=alice, started_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    )
    review = review_services.review_create(actor=alice, template=template, incident=incident)
    comment = review_comments.comment_add(actor=alice, review=review, body="A first comment.")
    action = action_create(actor=alice, team=alpha, title="Add an alert", review=review)
    lesson = make_lesson(alpha)
    (finding,) = coach_services.coach_check(
        user=alice,
        text="Dave should have double-checked the config before pushing.",
        target_type="review",
        target_id=review.pk,
        field_key="c-summary#0",
    )
    notification = notification_create(recipient=alice, text="Hello", url="/")
    deliverable = make_deliverable(alpha, owner=alice, created_by=alice)
    entry = make_entry(deliverable, author=alice, kind="lesson", text="Flags need owners.")
    endpoint = make_webhook_endpoint(alpha)
    earlier = make_retro(alpha, facilitator=alice, title="Earlier retro")
    TopicAction.objects.create(retro=earlier, action=action)  # carried over into ``retro``
    retro = make_retro(alpha, facilitator=alice, anonymity="allowed")
    Retro.objects.filter(pk=earlier.pk).update(created_at=retro.created_at - dt.timedelta(days=7))
    card = make_card(retro, author=alice)
    topic = Topic.objects.create(retro=retro)
    Card.objects.filter(pk=card.pk).update(topic=topic)
    retro_format = RetroFormat.objects.create(team=alpha, name="Ours", slug="ours", columns=[])
    _, token = api_token_create(user=alice, name="nasty")
    survey = make_survey_round(alpha, actor=alice)
    journal_entry = make_journal_entry(alice)
    drill = make_drill(alpha)
    drill_finding = Finding.objects.create(drill=drill, text="A finding.")
    alice.is_org_admin = True
    alice.save()
    team_pledge = pledge_write(actor=alice, team=alpha, text="We thank reporters.")
    experiment = make_experiment(alpha, created_by=alice, state="running")
    transcript = make_transcript(alpha, actor=alice, keep_text=True)
    learning_card = LearningCard.objects.create(
        experiment=experiment, observed="o", learned="l", decision="persevere"
    )
    from learnloop.experiments.showcase import showcase_create, showcase_item_add

    showcase = showcase_create(actor=alice, team=alpha, month="2026-11")
    showcase_item = showcase_item_add(actor=alice, showcase=showcase, title="My own slip")
    return {
        "token": token,
        "user": alice,
        "team": alpha,
        "template": template,
        "ids": {
            # API path parameters
            "pk": incident.pk,
            "review_id": review.pk,
            "comment_id": comment.pk,
            "action_id": action.pk,
            "lesson_id": lesson.pk,
            "flag_id": finding["flag"]["id"],
            "notification_id": notification.pk,
            "endpoint_id": endpoint.pk,
            "journal_entry_id": journal_entry.pk,
            "drill_id": drill.pk,
            "finding_id": drill_finding.pk,
            "pledge_id": team_pledge.pk,
            "slug": alpha.slug,
            "round_id": survey.pk,
            "transcript_id": transcript.pk,
            "deliverable_id": deliverable.pk,
            "entry_id": entry.pk,
            "kind": "entry",
            "object_id": entry.pk,
            "emoji": "clap",
            "retro_id": retro.pk,
            "card_id": card.pk,
            "topic_id": topic.pk,
            "format_id": retro_format.pk,
            "retros": retro.pk,
            "card_pk": card.pk,
            "topic_pk": topic.pk,
            "action_pk": action.pk,
            "team_id": alpha.pk,
            "metric": "near-miss-share",
            # web URL parameters by namespace
            "incidents": incident.pk,
            "reviews": review.pk,
            "actions": action.pk,
            "lessons": lesson.pk,
            "notifications": notification.pk,
            "surveys": survey.pk,
            "transcripts": transcript.pk,
            "webhooks": endpoint.pk,
            "journal": journal_entry.pk,
            "drills": drill.pk,
            "experiments": experiment.pk,
            "experiment_id": experiment.pk,
            "learning_card_pk": learning_card.pk,
            "learning_card_id": learning_card.pk,
            "showcase_id": showcase.pk,
            "item_id": showcase_item.pk,
            "team": alpha.slug,
            "phase": "explore",
            "coach": finding["flag"]["id"],
            "debriefs": deliverable.pk,
            "accounts": alice.pk,
            "cid": comment.pk,
            "version": 1,
        },
    }


def _client() -> Client:
    # A 500 must come back as a response we can count, not as an exception in the test.
    return Client(raise_request_exception=False)


def _assert_error_shape(response: Any) -> str | None:
    """None when ``response`` is the one API error shape, else what is wrong with it."""
    if not response["Content-Type"].startswith("application/json"):
        return f"content type {response['Content-Type']}"
    try:
        body = json.loads(response.content)
    except ValueError:
        return "not JSON"
    # Extra top-level keys are allowed where documented (409: ``current_version``).
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return f"not the error shape: {str(body)[:120]}"
    if set(error) != {"code", "message", "fields"}:
        return f"error keys {sorted(error)}"
    if not (isinstance(error["code"], str) and isinstance(error["message"], str)):
        return "code/message not strings"
    if not isinstance(error["fields"], dict):
        return "fields not an object"
    return None


def _check(response: Any, what: str, *, api: bool) -> str | None:
    if response.status_code >= 500:
        return f"{what}: {response.status_code}"
    if api and response.status_code >= 400:
        problem = _assert_error_shape(response)
        if problem:
            return f"{what}: {response.status_code} {problem}"
    return None


# --- the API walk -------------------------------------------------------------------------

#: A valid body for every operation that takes one ("{name}": the world's id of that name); the
#: walk spoils one field at a time.
VALID_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/teams"): {"name": "Gamma"},
    ("patch", "/api/me"): {"display_name": "Alice A.", "time_zone": "Europe/Berlin"},
    ("put", "/api/teams/{slug}/settings"): {
        "cooling_off_hours": 24,
        "min_learnings": 3,
        "min_next_steps": 2,
        "reminder_days_before": 2,
        "version": 1,
    },
    ("put", "/api/notifications/preferences"): {"assigned": "in_app"},
    ("post", "/api/teams/{slug}/invitations"): {"email": "new@example.org"},
    ("post", "/api/incidents"): {"title": "Slow", "description": "It was slow."},
    ("patch", "/api/incidents/{pk}"): {"version": 1, "title": "Slower"},
    ("post", "/api/reviews"): {"template": "incident-review", "team": "alpha"},
    ("patch", "/api/reviews/{review_id}"): {"version": 1, "title": "Renamed"},
    ("post", "/api/reviews/{review_id}/meeting"): {"meeting_at": "2027-01-05T10:00:00Z"},
    ("post", "/api/reviews/{review_id}/comments"): {"body": "Agreed."},
    ("post", "/api/actions"): {"team": "alpha", "title": "Fix it"},
    ("patch", "/api/actions/{action_id}"): {"version": 1, "title": "Fix it now"},
    ("post", "/api/lessons"): {"team": "alpha", "statement": "Check expiry dates."},
    ("patch", "/api/lessons/{lesson_id}"): {"version": 1, "statement": "Check expiry dates early."},
    ("post", "/api/lessons/{lesson_id}/apply"): {"target_kind": "incident", "target_id": "{pk}"},
    ("post", "/api/search/related"): {"title": "Checkout slow"},
    ("put", "/api/chat/slack"): {"slack_team_id": "T0NASTY", "signing_secret": "s" * 32},
    ("post", "/api/webhooks"): {
        "team": "alpha",
        "url": "https://h.example.org/",
        "events": ["lesson.created"],
    },
    ("patch", "/api/webhooks/{endpoint_id}"): {"version": 1, "description": "Chat"},
    ("post", "/api/coach/check"): {"text": "The alert had no owner."},
    ("post", "/api/coach/flags/{flag_id}/resolve"): {"how": "marked"},
    ("post", "/api/coach/flags/{flag_id}/dismiss"): {"reason": "Not blame."},
    ("post", "/api/surveys/rounds"): {
        "team": "alpha",
        "closes_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).isoformat(),
    },
    ("post", "/api/surveys/rounds/{round_id}/answer"): {
        "answers": {"q1": 2, "q2": 6, "q3": 2, "q4": 5, "q5": 3, "q6": 6, "q7": 6}
    },
    ("patch", "/api/surveys/rounds/{round_id}"): {
        "version": 1,
        "closes_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=8)).isoformat(),
    },
    ("post", "/api/transcripts"): {"team": "alpha", "vtt": MEETING_VTT},
    ("put", "/api/organisation/sso"): {"provision_domains": ["acme.example"], "version": 1},
    ("patch", "/api/transcripts/{transcript_id}"): {"version": 1, "title": "Renamed"},
    ("post", "/api/debriefs/deliverables"): {"team": "alpha", "title": "Search rewrite"},
    ("patch", "/api/debriefs/deliverables/{deliverable_id}"): {"version": 1, "title": "Renamed"},
    ("post", "/api/debriefs/deliverables/{deliverable_id}/close"): {"promote": []},
    ("post", "/api/debriefs/deliverables/{deliverable_id}/entries"): {"kind": "win", "text": "Yes"},
    ("patch", "/api/debriefs/entries/{entry_id}"): {"version": 1, "text": "Flags need an owner."},
    ("post", "/api/applause/{kind}/{object_id}"): {"emoji": "tada"},
    ("put", "/api/debriefs/teams/{slug}/nudge"): {"days": 5, "version": 1},
    ("post", "/api/retros/formats/{format_id}/copy"): {"team": "alpha"},
    ("patch", "/api/retros/formats/{format_id}"): {"version": 1, "name": "Our format"},
    ("post", "/api/retros"): {"team": "alpha", "title": "Retro", "format_id": "{format_id}"},
    ("patch", "/api/retros/{retro_id}"): {"version": 1, "title": "Renamed retro"},
    ("post", "/api/retros/{retro_id}/phase"): {"phase": "reveal"},
    ("post", "/api/retros/{retro_id}/timer"): {"minutes": 5},
    ("post", "/api/retros/{retro_id}/cards"): {"column": "start", "text": "Slow builds"},
    ("patch", "/api/retros/{retro_id}/cards/{card_id}"): {"version": 1, "text": "Slower builds"},
    ("post", "/api/retros/{retro_id}/cards/{card_id}/group"): {"topic": "new"},
    ("patch", "/api/retros/{retro_id}/topics/{topic_id}"): {"title": "Builds"},
    ("post", "/api/retros/{retro_id}/actions"): {"title": "Cache the builds"},
    ("post", "/api/retros/{retro_id}/lessons"): {"statement": "Caches pay off."},
    ("post", "/api/retros/{retro_id}/carry-over/{action_id}"): {"outcome": "open"},
    ("post", "/api/calendars/feeds"): {"team_id": "{team_id}"},
    ("post", "/api/calendars/feeds/revoke"): {"team_id": "{team_id}"},
    ("post", "/api/transfer/import-csv"): {
        "team_id": "{team_id}",
        "format": "generic",
        "content_base64": "ZXh0ZXJuYWxfaWQsdGl0bGUNCm4tMSxOYXN0eQ0K",  # external_id,title / n-1,Nasty
        "dry_run": True,
    },
    ("post", "/api/journal/entries"): {"framework": "gibbs", "answers": {"description": "x"}},
    ("patch", "/api/journal/entries/{journal_entry_id}"): {"version": 1, "title": "Renamed"},
    ("post", "/api/journal/entries/{journal_entry_id}/share"): {
        "team": "alpha",
        "statement": "Ask.",
    },
    ("post", "/api/journal/frameworks"): {"name": "Mine", "prompts": ["Why?"]},
    ("post", "/api/drills"): {
        "team": "alpha",
        "title": "Tabletop",
        "kind": "tabletop",
        "planned_for": "2026-12-10",
    },
    ("patch", "/api/drills/{drill_id}"): {"version": 1, "status": "run"},
    ("post", "/api/drills/{drill_id}/findings"): {"text": "Nobody owned DNS."},
    ("put", "/api/pledges/organisation"): {"text": "We thank reporters."},
    ("put", "/api/pledges/teams/{slug}"): {"text": "We thank reporters.", "version": 1},
    ("post", "/api/drills/campaigns"): {
        "team": "alpha",
        "name": "Parcel",
        "ran_on": "2026-11-01",
        "reported": 5,
        "clicked": 1,
        "ignored": 4,
    },
    ("post", "/api/experiments"): {"team": "alpha", "title": "Try it"},
    ("patch", "/api/experiments/{experiment_id}"): {"version": 1, "title": "Try it now"},
    ("post", "/api/experiments/{experiment_id}/approve"): {"note": "Go."},
    ("post", "/api/experiments/{experiment_id}/reject"): {"reason": "Not now."},
    ("post", "/api/experiments/{experiment_id}/move"): {"budget": "100"},
    ("post", "/api/experiments/{experiment_id}/learning-cards"): {
        "observed": "o",
        "learned": "l",
        "decision": "stop",
    },
    ("post", "/api/experiments/{experiment_id}/learning-cards/{learning_card_id}/lessons"): {
        "index": 0
    },
    ("post", "/api/experiments/showcases"): {"team": "alpha", "month": "2026-10"},
    ("patch", "/api/experiments/showcases/{showcase_id}"): {"version": 1, "title": "Ours"},
    ("post", "/api/experiments/showcases/{showcase_id}/items"): {"title": "My slip"},
    ("patch", "/api/experiments/showcases/{showcase_id}/items/{item_id}"): {
        "position": 1,
        "presented": True,
    },
    ("put", "/api/experiments/rules/{team}/{phase}"): {
        "version": 1,
        "approval": "one",
        "win": "fast",
    },
}


def _experiment_submitted(world: dict[str, Any]) -> None:
    """The world's experiment waiting for approval, which its author may give (the rule
    allows it), so the valid approve and reject bodies succeed."""
    from learnloop.experiments import approvals, phase_rules

    experiment = Experiment.objects.get(pk=world["ids"]["experiment_id"])
    rule = phase_rules.rule_for(experiment.team, "experiment")
    rule.allow_self_approval = True
    rule.save()
    Experiment.objects.filter(pk=experiment.pk).update(state="draft", phase="experiment")
    experiment.refresh_from_db()
    approvals.experiment_submit(actor=world["user"], experiment=experiment)


def _experiment_draft(world: dict[str, Any]) -> None:
    Experiment.objects.filter(pk=world["ids"]["experiment_id"]).update(state="draft")


#: Operations whose valid body needs the world's experiment in another state first.
PREPARE: dict[tuple[str, str], Any] = {
    ("post", "/api/experiments/{experiment_id}/approve"): _experiment_submitted,
    ("post", "/api/experiments/{experiment_id}/reject"): _experiment_submitted,
    ("patch", "/api/experiments/{experiment_id}"): _experiment_draft,
}


#: The retro phase an operation needs, set before its walk (one retro serves every walk).
RETRO_PHASES: dict[tuple[str, str], str] = {
    ("post", "/api/retros/{retro_id}/cards/{card_id}/group"): "group",
    ("post", "/api/retros/{retro_id}/topics/{topic_id}/votes"): "vote",
    ("delete", "/api/retros/{retro_id}/topics/{topic_id}/votes"): "vote",
    ("patch", "/api/retros/{retro_id}/topics/{topic_id}"): "discuss",
    ("post", "/api/retros/{retro_id}/actions"): "discuss",
    ("post", "/api/retros/{retro_id}/lessons"): "discuss",
}


def _openapi() -> dict[str, Any]:
    return ninja_api.get_openapi_schema()


def _resolve(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _kind(schema: dict[str, Any], doc: dict[str, Any]) -> str:
    """integer, datetime, array-of-<kind>, object, boolean or text (strings, enums, refs)."""
    schema = _resolve(schema, doc)
    options = [_resolve(s, doc) for s in schema.get("anyOf", []) + schema.get("allOf", [])] or [
        schema
    ]
    kinds = set()
    for option in options:
        t = option.get("type")
        if t == "integer":
            kinds.add("integer")
        elif t == "string" and option.get("format") in ("date-time", "date"):
            kinds.add("datetime")
        elif t == "array":
            kinds.add("array-of-" + _kind(option.get("items", {}), doc))
        elif t in ("object", "boolean"):
            kinds.add(t)
    for k in ("datetime", "integer"):
        if k in kinds:
            return k
    arrays = [k for k in kinds if k.startswith("array")]
    if arrays:
        return arrays[0]
    return "object" if "object" in kinds else "boolean" if "boolean" in kinds else "text"


def _values_for(kind: str) -> dict[str, Any]:
    if kind == "integer":
        text = ("huge", "unicode_digit", "surrogate", "nul")
        return NASTY_INT | {"text_" + k: NASTY_TEXT[k] for k in text}
    if kind == "datetime":
        return NASTY_DATETIME | {"surrogate": NASTY_TEXT["surrogate"]}
    if kind.startswith("array-of-"):
        return {k: [v] for k, v in _values_for(kind.removeprefix("array-of-")).items()}
    if kind == "object":
        return {
            k: {"summary": v, v if isinstance(v, str) else "x": v} for k, v in NASTY_TEXT.items()
        }
    if kind == "boolean":
        return {"text": "x\x00"}
    return dict(NASTY_TEXT)


def _operations() -> list[tuple[str, str]]:
    doc = _openapi()
    return [(method, path) for path, ops in doc["paths"].items() for method in ops]


def _query_value(value: str) -> str:
    """Percent-encode, surrogates and NUL included (as a browser or curl could send them)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _send(client: Client, method: str, url: str, body: Any, token: str) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if body is None:
        return getattr(client, method)(url, **headers)
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", **headers
    )


def _fill_path(path: str, ids: dict[str, Any], override: dict[str, str] | None = None) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1).split(":")[-1]
        if override and name in override:
            return override[name]
        return str(ids[name])

    return re.sub(r"\{([^}]+)\}", sub, path)


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path"), _operations(), ids=lambda v: str(v))
def test_every_api_operation_answers_nasty_values_without_a_500(world, method, path) -> None:
    if (method, path) in PREPARE:
        PREPARE[(method, path)](world)
    doc = _openapi()
    operation = doc["paths"][path][method]
    ids, token = world["ids"], world["token"]
    if path.startswith("/api/chat/"):  # the organisation's Slack settings: its admins only
        User.objects.filter(pk=world["team"].memberships.get(role="admin").user_id).update(
            is_org_admin=True
        )
    if (method, path) in RETRO_PHASES:
        Retro.objects.filter(pk=ids["retro_id"]).update(phase=RETRO_PHASES[(method, path)])
    base_body = VALID_BODIES.get((method, path))
    if base_body is not None:
        base_body = {
            k: ids[v[1:-1]] if isinstance(v, str) and v[:1] + v[-1:] == "{}" else v
            for k, v in base_body.items()
        }
    body_schema = (
        operation.get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema")
    )
    if body_schema is not None:
        assert base_body is not None, f"add a valid body for {method} {path} to VALID_BODIES"
    client = _client()
    failures: list[str] = []
    last: list[Any] = [0, b""]

    def send(url: str, body: Any, what: str) -> None:
        if "version" in (base_body or {}) and what.startswith("body ") and "version=" not in what:
            # Keep the version current, so a bad value meets the validation, not a conflict.
            current = _send(client, "get", url, None, token).json()
            body = {**body, "version": current["version"]}
        response = _send(client, method, url, body, token)
        last[:] = [response.status_code, response.content[:200]]
        problem = _check(response, what, api=True)
        if problem:
            failures.append(problem)

    for param in operation.get("parameters", []):
        kind = _kind(param.get("schema", {}), doc)
        values = dict(NASTY_TEXT) | ({"zero": "0"} if kind == "integer" else {})
        for label, value in values.items():
            if param["in"] == "path":
                url = _fill_path(path, ids, {param["name"]: _query_value(value)})
            else:
                url = f"{_fill_path(path, ids)}?{param['name']}={_query_value(value)}"
            send(url, base_body, f"{param['in']} {param['name']}={label}")
    if body_schema is not None:
        # The valid body must succeed, or the spoiled ones would stop at the first check.
        send(_fill_path(path, ids), base_body, "body as given")
        assert not failures and last[0] < 400, f"{method} {path}: fix VALID_BODIES ({last})"
        props = _resolve(body_schema, doc).get("properties", {})
        for field, schema in props.items():
            for label, value in _values_for(_kind(schema, doc)).items():
                send(_fill_path(path, ids), {**base_body, field: value}, f"body {field}={label}")
    assert not failures, f"{method.upper()} {path}:\n" + "\n".join(failures)


# --- the web walk -------------------------------------------------------------------------

SKIP_PREFIXES = ("admin/", "api/", "bench/", "static/")
#: Every query / form parameter a web view reads; each gets the nasty value at once.
WEB_PARAMS = [
    "page",
    "team",
    "template",
    "status",
    "months",
    "kind",
    "severity",
    "tag",
    "source",
    "sort",
    "from",
    "to",
    "q",
    "show",
    "next",
    "incident",
    "exclude_kind",
    "exclude_id",
    "title",
    "description",
    "owner",
    "created_after",
    "due_before",
    "due_after",
    "overdue",
    "framework",
    "link",
    "drill",
    "review",
    "retro",
]
FORM_FIELDS = [
    "month",
    "scope",
    "position",
    "presented",
    "presenter",
    "insight",
    "experiment",
    "lesson",
    "applied",
    "hypothesis",
    "budget",
    "expected_saving",
    "time_box_days",
    "person_days",
    "phase",
    "observed",
    "learned",
    "evidence",
    "decision",
    "index",
    "budget_limit",
    "required_approvals",
    "approval",
    "win",
    "person",
    "title",
    "description",
    "team",
    "kind",
    "severity",
    "tags",
    "started_at",
    "detected_at",
    "acknowledged_at",
    "resolved_at",
    "visibility",
    "anonymous",
    "due_date",
    "owner",
    "status",
    "body",
    "note",
    "incident",
    "template",
    "meeting_at",
    "duration_minutes",
    "location",
    "statement",
    "context",
    "source_url",
    "source_label",
    "version",
    "field",
    "participants",
    "learning",
    "name",
    "email",
    "role",
    "cooling_off_hours",
    "text",
    "reason",
    "how",
    "replacement",
    "action",
    "stay",
    "then",
    "next",
    "framework",
    "link",
    "answer_what",
    "weekday",
    "prompts",
    "for_organisation",
    "planned_for",
    "scenario",
    "facilitator",
    "what_happened",
    "aar_expected",
    "drill",
    "form",
    "ran_on",
    "sent",
    "reported",
    "clicked",
    "ignored",
    "minutes_to_first_report",
    "do",
    "held_on",
    "review",
    "retro",
    "keep_text",
    "discard_text",
    "participants_sent",
    "to",
]


def _web_routes() -> list[tuple[str, str]]:
    """(namespace, route) for every URL pattern outside the admin, API and benchmarks."""
    out: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if route.startswith(SKIP_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route, p.namespace or namespace)
            elif isinstance(p, URLPattern):
                out.append((namespace, route))

    walk(get_resolver().url_patterns, "", "")
    return out


_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _web_url(namespace: str, route: str, world: dict[str, Any], nasty: dict[str, str]) -> str:
    ids = world["ids"]

    def sub(m: re.Match[str]) -> str:
        converter, name = m.group(1) or "str", m.group(2)
        if name in nasty:
            return nasty[name]
        if name == "pk":
            return str(ids[namespace])
        if name == "slug":
            return world["team"].slug
        if name in ids:
            return str(ids[name])
        return "x" if converter in ("str", "slug") else "1"

    return "/" + _CONVERTER.sub(sub, route)


WEB_NASTY_IDS = {"huge": HUGE, "zero": "0"}
#: Form and query values: what reaches int(), date parsing, redirects and the database
#: (surrogates cannot arrive in a form or query: Django decodes them as U+FFFD).
WEB_NASTY_TEXT = {
    k: NASTY_TEXT[k] for k in ("huge", "float", "negative", "unicode_digit", "nul", "far_future")
}
WEB_NASTY_SIGNED_IDS = {"negative": "-1", "huge_negative": "-" + HUGE}


@pytest.mark.parametrize(("namespace", "route"), _web_routes(), ids=lambda v: v or "-")
def test_every_web_url_answers_nasty_values_without_a_500(
    client, alice, world, namespace, route
) -> None:
    alice.is_org_admin = True  # the organisation's pages (people) are walked too
    alice.save(update_fields=["is_org_admin"])
    client = _client()
    client.force_login(alice)
    failures: list[str] = []
    for m in _CONVERTER.finditer(route):
        converter, name = m.group(1), m.group(2)
        values = dict(WEB_NASTY_IDS) if converter in ("int", "sint") else {}
        if converter == "sint":
            values |= WEB_NASTY_SIGNED_IDS
        for label, value in values.items():
            url = _web_url(namespace, route, world, {name: value})
            for method in ("get", "post"):
                problem = _check(
                    getattr(client, method)(url), f"{method} {url} ({label})", api=False
                )
                if problem:
                    failures.append(problem)
    url = _web_url(namespace, route, world, {})
    if "logout" in route:
        url = "/"  # signing out would end the walk
    for label, value in WEB_NASTY_TEXT.items():
        encoded = _query_value(value)
        query = "&".join(f"{name}={encoded}" for name in WEB_PARAMS)
        problem = _check(client.get(f"{url}?{query}"), f"get {url} ?*={label}", api=False)
        if problem:
            failures.append(problem)
        form = "&".join(f"{name}={encoded}" for name in FORM_FIELDS)
        response = client.post(url, form, content_type="application/x-www-form-urlencoded")
        problem = _check(response, f"post {url} *={label}", api=False)
        if problem:
            failures.append(problem)
    assert not failures, "\n".join(failures)
