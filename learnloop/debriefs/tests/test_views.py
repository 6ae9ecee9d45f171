"""Deliverable pages: list, create, detail, edit (conflict), close, reopen, the debrief log,
and 404 for another team (charlie) and another organisation (mallory) on every URL."""

from __future__ import annotations

import pytest

from learnloop.debriefs.models import DebriefEntry, Deliverable
from learnloop.testing.builders import make_entry

pytestmark = pytest.mark.django_db


def test_a_lead_creates_a_deliverable_with_people_and_a_link(client_for, alice, bob, alpha) -> None:
    client = client_for(alice)
    assert client.get("/deliverables/new/").status_code == 200
    response = client.post(
        "/deliverables/new/",
        {
            "team": alpha.pk,
            "title": "Payment retries",
            "description": "Make **retries** idempotent.",
            "collaborators": [bob.pk],
            "start_date": "2026-12-01",
            "target_date": "2027-01-31",
            "external_url": "https://github.com/acme/shop/issues/12",
            "visibility": "team",
        },
    )
    d = Deliverable.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/deliverables/{d.pk}/"
    body = client.get(f"/deliverables/{d.pk}/").content.decode()
    assert "<strong>retries</strong>" in body
    assert 'href="https://github.com/acme/shop/issues/12"' in body
    assert "Bob" in body or "bob@example.org" in body
    listed = client.get("/deliverables/").content.decode()
    assert "Payment retries" in listed


def test_create_shows_form_errors_and_saves_nothing(client_for, alice, charlie, alpha) -> None:
    response = client_for(alice).post(
        "/deliverables/new/",
        {"team": alpha.pk, "title": "", "collaborators": [charlie.pk], "visibility": "team"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"title", "collaborators"}
    assert not Deliverable.objects.exists()


def test_collaborators_add_entries_and_the_log_renders_markdown_safely(
    client_for, bob, deliverable
) -> None:
    client = client_for(bob)
    response = client.post(
        f"/deliverables/{deliverable.pk}/entries/",
        {"kind": "opportunity", "text": "Retry *budget* <script>alert(1)</script>", "link": ""},
    )
    entry = DebriefEntry.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{entry.pk}")
    body = client.get(f"/deliverables/{deliverable.pk}/").content.decode()
    assert "<em>budget</em>" in body and "<script>alert(1)" not in body
    assert 'data-coach="1"' in body  # the blame coach hints while typing


def test_an_entry_on_a_closed_deliverable_is_refused(client_for, alice, bob, deliverable) -> None:
    client_for(alice).post(f"/deliverables/{deliverable.pk}/close/")
    deliverable.refresh_from_db()
    assert deliverable.status == "closed"
    response = client_for(bob).post(
        f"/deliverables/{deliverable.pk}/entries/", {"kind": "win", "text": "late"}
    )
    assert response.status_code == 400 and not DebriefEntry.objects.exists()
    client_for(alice).post(f"/deliverables/{deliverable.pk}/reopen/")
    deliverable.refresh_from_db()
    assert deliverable.status == "active"


def test_only_the_author_edits_an_entry_and_a_stale_edit_shows_the_conflict(
    client_for, form_as_posted, alice, bob, deliverable
) -> None:
    entry = make_entry(deliverable, author=bob, text="Original")
    assert client_for(alice).get(f"/deliverables/entries/{entry.pk}/edit/").status_code == 404
    client = client_for(bob)
    page = client.get(f"/deliverables/entries/{entry.pk}/edit/")
    stale = form_as_posted(page) | {"text": "From the old tab"}
    assert (
        client.post(
            f"/deliverables/entries/{entry.pk}/edit/", form_as_posted(page) | {"text": "Newer"}
        ).status_code
        == 302
    )
    response = client.post(f"/deliverables/entries/{entry.pk}/edit/", stale)
    assert response.status_code == 409 and response.context["conflict"]["current_version"] == 2
    entry.refresh_from_db()
    assert entry.text == "Newer"


def test_a_stale_deliverable_edit_shows_the_conflict(
    client_for, form_as_posted, alice, bob, deliverable
) -> None:
    first = form_as_posted(client_for(alice).get(f"/deliverables/{deliverable.pk}/edit/"))
    second = form_as_posted(client_for(bob).get(f"/deliverables/{deliverable.pk}/edit/"))
    first["collaborators"] = [u.pk for u in deliverable.collaborators.all()]
    second["collaborators"] = first["collaborators"]
    assert (
        client_for(alice)
        .post(f"/deliverables/{deliverable.pk}/edit/", first | {"title": "Alice's"})
        .status_code
        == 302
    )
    response = client_for(bob).post(
        f"/deliverables/{deliverable.pk}/edit/", second | {"title": "Bob's"}
    )
    assert response.status_code == 409
    deliverable.refresh_from_db()
    assert deliverable.title == "Alice's"


def _urls(deliverable: Deliverable, entry: DebriefEntry) -> list[tuple[str, str]]:
    d, e = deliverable.pk, entry.pk
    return [
        ("get", f"/deliverables/{d}/"),
        ("get", f"/deliverables/{d}/edit/"),
        ("get", f"/deliverables/{d}/close/"),
        ("post", f"/deliverables/{d}/close/"),
        ("post", f"/deliverables/{d}/reopen/"),
        ("post", f"/deliverables/{d}/entries/"),
        ("get", f"/deliverables/entries/{e}/edit/"),
        ("post", f"/deliverables/entries/{e}/delete/"),
    ]


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_another_team_and_another_organisation_get_404_everywhere(
    request, client_for, bob, deliverable, who
) -> None:
    entry = make_entry(deliverable, author=bob)
    client = client_for(request.getfixturevalue(who))
    for method, url in _urls(deliverable, entry):
        data = {"kind": "win", "text": "x"} if method == "post" else None
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 404, (method, url)
    assert "Checkout redesign" not in client.get("/deliverables/?status=all").content.decode()
    deliverable.refresh_from_db()
    assert deliverable.status == "active" and DebriefEntry.objects.count() == 1


def test_an_organisation_visible_deliverable_is_read_only_for_charlie(
    client_for, bob, charlie, mallory, deliverable
) -> None:
    Deliverable.objects.filter(pk=deliverable.pk).update(visibility="organisation")
    entry = make_entry(deliverable, author=bob)
    charlie_client = client_for(charlie)
    assert charlie_client.get(f"/deliverables/{deliverable.pk}/").status_code == 200
    assert charlie_client.get(f"/deliverables/{deliverable.pk}/edit/").status_code == 404
    assert charlie_client.get(f"/deliverables/{deliverable.pk}/close/").status_code == 404
    assert (
        charlie_client.post(
            f"/deliverables/{deliverable.pk}/entries/", {"kind": "win", "text": "x"}
        ).status_code
        == 404
    )
    assert charlie_client.post(f"/deliverables/entries/{entry.pk}/delete/").status_code == 404
    assert client_for(mallory).get(f"/deliverables/{deliverable.pk}/").status_code == 404


def test_the_list_needs_sign_in(client) -> None:
    response = client.get("/deliverables/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_list_counts_each_entry_once_with_mine(client_for, alice, bob, alpha) -> None:
    """Decision 0178: the entry count is a subquery; the grouped count it replaced multiplied
    the entries by the collaborators when "mine" joined them (3 entries, 2 people: 6)."""
    from learnloop.accounts.models import Role
    from learnloop.testing.builders import make_deliverable, make_user

    carol = make_user("carol@example.org", alpha.organisation, team=alpha, role=Role.MEMBER)
    d = make_deliverable(alpha, title="Retry budget", owner=alice, collaborators=[bob, carol])
    for _ in range(3):
        make_entry(d, author=bob)
    for url in ("/deliverables/?status=all", "/deliverables/?status=all&mine=1"):
        page = client_for(alice).get(url).context["page"]
        assert [(x.pk, x.entry_count) for x in page] == [(d.pk, 3)], url
