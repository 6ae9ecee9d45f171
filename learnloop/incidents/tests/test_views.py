import pytest

from learnloop.incidents.models import Incident
from learnloop.testing.builders import make_incident

pytestmark = pytest.mark.django_db


def test_it_files_a_report_with_title_and_description_only(client_for, bob, alpha):
    response = client_for(bob).post(
        "/incidents/new/",
        {
            "title": "Deploy failed",
            "description": "**Red** build",
            "kind": "mistake",
            "visibility": "team",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.pk}/"
    assert incident.team == alpha and incident.reporter == bob


def test_it_shows_time_order_errors_next_to_the_field_and_saves_nothing(client_for, bob):
    response = client_for(bob).post(
        "/incidents/new/",
        {
            "title": "A",
            "description": "x",
            "kind": "mistake",
            "visibility": "team",
            "started_at": "2026-03-02T10:00",
            "detected_at": "2026-03-02T09:00",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_detected_at_error"' in body
    assert "Must be on or after the time it started" in body
    assert "<details open" in body
    assert not Incident.objects.exists()


def test_it_shows_unknown_team_and_oversized_text_next_to_the_field(client_for, bob, beta):
    from learnloop.accounts.models import Membership

    Membership.objects.create(user=bob, team=beta)
    response = client_for(bob).post(
        "/incidents/new/",
        {
            "title": "x" * 300,
            "description": "x",
            "team": "gamma",
            "kind": "mistake",
            "visibility": "team",
        },
    )
    body = response.content.decode()
    assert 'id="id_title_error"' in body
    assert 'id="id_team_error"' in body
    assert not Incident.objects.exists()


def test_it_renders_the_description_as_sanitised_markdown(client_for, bob, alpha):
    incident = make_incident(alpha, reporter=bob, description="**bold** <script>alert(1)</script>")
    body = client_for(bob).get(f"/incidents/{incident.pk}/").content.decode()
    assert "<strong>bold</strong>" in body
    assert "<script>alert(1)" not in body


def test_it_lists_with_filters_and_pagination(client_for, bob, alpha):
    for n in range(30):
        make_incident(
            alpha, reporter=bob, title=f"Incident {n}", kind="mistake" if n % 2 else "drill"
        )
    c = client_for(bob)
    body = c.get("/incidents/").content.decode()
    assert "Page 1 of 2 (30 incidents)" in body
    body = c.get("/incidents/?kind=drill").content.decode()
    assert "(15 incidents)" in body
    assert c.get("/incidents/?status=resolved").content.decode().count("<tr>") == 0


def test_it_lists_without_n_plus_one_queries(client_for, bob, alpha, django_assert_max_num_queries):
    for n in range(10):
        i = make_incident(alpha, reporter=bob, title=f"I{n}")
        i.tags.create(organisation=alpha.organisation, name=f"t{n}")
    c = client_for(bob)
    c.get("/incidents/")
    with django_assert_max_num_queries(12):
        c.get("/incidents/")


def test_it_edits_a_report(client_for, bob, alpha):
    incident = make_incident(alpha, reporter=bob)
    c = client_for(bob)
    assert c.get(f"/incidents/{incident.pk}/edit/").status_code == 200
    response = c.post(
        f"/incidents/{incident.pk}/edit/",
        {
            "title": "Renamed",
            "description": "x",
            "kind": "drill",
            "visibility": "organisation",
            "tags": "a, b",
            "version": 1,
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.title, incident.kind, incident.visibility) == (
        "Renamed",
        "drill",
        "organisation",
    )


def test_it_lets_nobody_but_team_admins_edit_anonymous_reports(client_for, alice, bob, alpha):
    incident = make_incident(alpha, is_anonymous=True)
    assert client_for(bob).get(f"/incidents/{incident.pk}/edit/").status_code == 404
    assert client_for(alice).get(f"/incidents/{incident.pk}/edit/").status_code == 200


def test_it_lets_org_admins_edit_the_severity_scale(client_for, alice, bob, org):
    assert client_for(bob).get("/incidents/settings/").status_code == 404
    alice.is_org_admin = True
    alice.save()
    c = client_for(alice)
    assert "sev1 | SEV1" in c.get("/incidents/settings/").content.decode()
    response = c.post("/incidents/settings/", {"scale": "p1 | P1\n\np2 | P2"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.settings["severity_scale"] == [
        {"key": "p1", "label": "P1"},
        {"key": "p2", "label": "P2"},
    ]
    response = c.post("/incidents/settings/", {"scale": "p1 | P1\np1 | again"})
    assert "used twice" in response.content.decode()


def test_it_shows_nav_entries_and_a_home_panel_only_when_there_are_incidents(
    client_for, bob, alpha
):
    c = client_for(bob)
    body = c.get("/").content.decode()
    assert 'href="/incidents/new/"' in body and ">Incidents<" in body
    assert "Recent incidents" not in body
    make_incident(alpha, reporter=bob, title="Visible one")
    body = c.get("/").content.decode()
    assert "Recent incidents" in body and "Visible one" in body


def test_it_requires_sign_in(client, alpha):
    incident = make_incident(alpha)
    for url in [
        "/incidents/",
        "/incidents/new/",
        f"/incidents/{incident.pk}/",
        "/incidents/dashboard/",
    ]:
        assert client.get(url).status_code == 302
