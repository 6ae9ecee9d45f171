import datetime as dt

import pytest

from learnloop.core.errors import ApplicationError, NotFound
from learnloop.core.models import Tag
from learnloop.incidents import services
from learnloop.incidents.models import Incident
from learnloop.testing.builders import make_incident

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def test_it_creates_a_report_with_only_title_and_description(bob, alpha):
    incident = services.incident_create(actor=bob, title=" Disk full ", description="It filled.")
    assert incident.team == alpha
    assert incident.title == "Disk full"
    assert incident.reporter == bob
    assert incident.kind == "service_incident"
    assert incident.visibility == "team"


def test_it_stores_tags_once_per_organisation(bob, alice):
    a = services.incident_create(actor=bob, title="A", description="x", tags="DB, deploy ,db")
    b = services.incident_create(actor=alice, title="B", description="y", tags=["Deploy"])
    # One tag per name ignoring case; the first spelling stays (decisions/0015).
    assert sorted(t.name for t in a.tags.all()) == ["DB", "deploy"]
    assert [t.name for t in b.tags.all()] == ["deploy"]
    assert Tag.objects.count() == 2


def test_it_refuses_times_out_of_order_and_saves_nothing(bob):
    with pytest.raises(ApplicationError) as exc:
        services.incident_create(
            actor=bob,
            title="A",
            description="x",
            started_at=T0,
            detected_at=T0 - dt.timedelta(minutes=5),
            resolved_at=T0 + dt.timedelta(hours=1),
        )
    assert "detected_at" in exc.value.fields
    assert "resolved_at" not in exc.value.fields
    assert not Incident.objects.exists()


def test_it_accepts_missing_times_between_present_ones(bob):
    incident = services.incident_create(
        actor=bob, title="A", description="x", started_at=T0, resolved_at=T0
    )
    assert incident.resolved_at == T0


def test_it_refuses_an_unknown_team_without_saying_whether_it_exists(bob, beta):
    for slug in ("beta", "does-not-exist"):
        with pytest.raises(ApplicationError) as exc:
            services.incident_create(actor=bob, title="A", description="x", team=slug)
        assert exc.value.fields == {"team": ["Unknown team."]}
    assert not Incident.objects.exists()


def test_it_refuses_oversized_text_naming_the_field(bob):
    with pytest.raises(ApplicationError) as exc:
        services.incident_create(actor=bob, title="x" * 201, description="y" * 20001)
    assert set(exc.value.fields) >= {"title", "description"}
    assert not Incident.objects.exists()


def test_it_refuses_too_many_or_too_long_tags(bob):
    with pytest.raises(ApplicationError) as exc:
        services.incident_create(actor=bob, title="A", description="x", tags=["t" * 61])
    assert "tags" in exc.value.fields
    assert not Tag.objects.exists()


def test_it_requires_a_team_choice_for_people_in_several_teams(bob, beta):
    from learnloop.accounts.models import Membership

    Membership.objects.create(user=bob, team=beta)
    with pytest.raises(ApplicationError) as exc:
        services.incident_create(actor=bob, title="A", description="x")
    assert exc.value.fields == {"team": ["Choose a team."]}
    assert services.incident_create(actor=bob, title="A", description="x", team="beta").team == beta


def test_it_checks_severity_against_the_organisation_scale(bob, org):
    with pytest.raises(ApplicationError) as exc:
        services.incident_create(actor=bob, title="A", description="x", severity="p0")
    assert "severity" in exc.value.fields
    org.settings = {"severity_scale": [{"key": "p0", "label": "P0"}]}
    org.save()
    bob.organisation.refresh_from_db()
    assert (
        services.incident_create(actor=bob, title="A", description="x", severity="p0").severity
        == "p0"
    )


def test_it_lets_org_admins_edit_the_severity_scale(alice, org):
    alice.is_org_admin = True
    scale = services.organisation_set_severity_scale(
        actor=alice, organisation=org, scale=[{"key": "High", "label": "High"}]
    )
    assert scale == [{"key": "high", "label": "High"}]
    org.refresh_from_db()
    assert services.severity_scale(org) == scale


def test_it_refuses_an_invalid_severity_scale(alice, org):
    alice.is_org_admin = True
    with pytest.raises(ApplicationError) as exc:
        services.organisation_set_severity_scale(
            actor=alice,
            organisation=org,
            scale=[
                {"key": "a", "label": "A"},
                {"key": "a", "label": ""},
                {"key": "b c", "label": "x"},
            ],
        )
    assert len(exc.value.fields["scale"]) == 3
    org.refresh_from_db()
    assert "severity_scale" not in org.settings


def test_it_refuses_severity_scale_changes_by_non_admins(bob, org):
    with pytest.raises(NotFound):
        services.organisation_set_severity_scale(
            actor=bob, organisation=org, scale=[{"key": "a", "label": "A"}]
        )


def test_it_updates_only_given_fields_and_checks_times_against_stored_ones(bob, alpha):
    incident = make_incident(alpha, reporter=bob, started_at=T0)
    updated = services.incident_update(
        actor=bob, incident=incident, version=1, title="New", tags="x"
    )
    assert updated.title == "New"
    assert updated.started_at == T0
    assert [t.name for t in updated.tags.all()] == ["x"]
    with pytest.raises(ApplicationError) as exc:
        services.incident_update(
            actor=bob, incident=incident, version=2, resolved_at=T0 - dt.timedelta(hours=1)
        )
    assert "resolved_at" in exc.value.fields
    incident.refresh_from_db()
    assert incident.resolved_at is None


def test_it_lets_only_team_admins_edit_anonymous_reports(alice, bob, alpha):
    incident = services.incident_create(actor=bob, title="A", description="x", anonymous=True)
    with pytest.raises(NotFound):
        services.incident_update(actor=bob, incident=incident, version=1, title="B")
    updated = services.incident_update(actor=alice, incident=incident, version=1, title="B")
    assert updated.title == "B"


def test_it_refuses_changing_team_or_anonymity(bob, alpha):
    incident = make_incident(alpha, reporter=bob)
    with pytest.raises(ApplicationError) as exc:
        services.incident_update(actor=bob, incident=incident, version=1, is_anonymous=True)
    assert "is_anonymous" in exc.value.fields


def test_it_rate_limits_reports_per_person(bob, monkeypatch):
    monkeypatch.setattr(services, "RATE_LIMIT_PER_HOUR", 2)
    from django.core.cache import cache

    cache.clear()
    services.incident_create(actor=bob, title="A", description="x")
    services.incident_create(actor=bob, title="B", description="x", anonymous=True)
    with pytest.raises(ApplicationError) as exc:
        services.incident_create(actor=bob, title="C", description="x", anonymous=True)
    assert exc.value.status == 429
    assert Incident.objects.count() == 2
    cache.clear()
