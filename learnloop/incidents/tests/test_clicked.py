""" "I might have clicked something": one tap from every page's footer files a security-event
quick report, named or anonymous, and thanks the person without saying which report it was."""

from __future__ import annotations

from learnloop.incidents.models import Incident, Kind


def test_every_page_links_to_it_and_one_tap_files_a_security_event(client_for, bob, alpha) -> None:
    c = client_for(bob)
    for url in ("/", "/lessons/", "/journal/", "/drills/"):
        assert 'href="/incidents/clicked/"' in c.get(url).content.decode(), url
    page = c.get("/incidents/clicked/")
    assert "Reporting promptly protects everyone" in page.content.decode()
    response = c.post("/incidents/clicked/", {"team": "alpha"})
    assert response.status_code == 302 and response["Location"] == "/incidents/clicked/thanks/"
    incident = Incident.objects.get()
    assert incident.kind == Kind.SECURITY_EVENT and incident.reporter == bob
    assert incident.title == "I might have clicked something" and incident.team == alpha
    assert response.wsgi_request.META.get("learnloop.not_in_access_log") is True
    thanks = c.get("/incidents/clicked/thanks/").content.decode()
    assert "Prompt reporting protects everyone" in thanks


def test_it_can_be_anonymous_and_refuses_another_team(client_for, bob, beta) -> None:
    c = client_for(bob)
    c.post(
        "/incidents/clicked/", {"team": "alpha", "anonymous": "on", "description": "A parcel link."}
    )
    incident = Incident.objects.get()
    assert incident.is_anonymous and incident.reporter_id is None and incident.pk < 0
    assert incident.description == "A parcel link."
    refused = c.post("/incidents/clicked/", {"team": "beta"})
    assert refused.status_code == 400 and Incident.objects.count() == 1
