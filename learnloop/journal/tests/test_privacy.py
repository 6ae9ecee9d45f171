"""A journal entry is its author's only (decisions/0170): every other person — a teammate, the
team admin, another team's admin, an organisation admin, another organisation, the operator —
gets 404 for it in the web, the API and the operator admin, and finds it by no search."""

from __future__ import annotations

import json

import pytest

from learnloop.accounts.models import Role, User
from learnloop.journal import services
from learnloop.journal.models import Entry
from learnloop.testing.builders import make_user

SECRET = "zanzibarquokka"


@pytest.fixture
def entry(bob) -> Entry:
    return services.entry_create(
        actor=bob,
        framework_key="gibbs",
        title=f"I deployed on Friday {SECRET}",
        answers={"description": f"The deploy went wrong {SECRET}.", "feelings": "Worried."},
        tags=["deploys"],
    )


@pytest.fixture
def org_admin(org, alpha) -> User:
    return make_user("olga@example.org", org, team=alpha, role=Role.ADMIN, is_org_admin=True)


@pytest.fixture
def operator(db) -> User:
    return make_user("ops@example.org", None, is_superuser=True, is_staff=True)


@pytest.fixture
def teammate(org, alpha) -> User:
    return make_user("tess@example.org", org, team=alpha, role=Role.MEMBER)


@pytest.fixture
def others(alice, charlie, mallory, org_admin, operator, teammate) -> dict[str, User]:
    return {
        "teammate": teammate,
        "team admin": alice,
        "other team's admin": charlie,
        "organisation admin": org_admin,
        "other organisation": mallory,
        "operator": operator,
    }


WEB_URLS = ["/journal/{pk}/", "/journal/{pk}/edit/", "/journal/{pk}/delete/"]


def test_the_author_reads_it_everywhere(client_for, bob, entry) -> None:
    c = client_for(bob)
    for url in WEB_URLS:
        assert c.get(url.format(pk=entry.pk)).status_code == 200
    assert c.get(f"/api/journal/entries/{entry.pk}").json()["title"] == entry.title
    assert SECRET in c.get("/journal/", {"q": SECRET}).content.decode()


def test_the_author_alone_finds_it_on_the_main_search_page(client_for, bob, entry, others) -> None:
    page = client_for(bob).get("/search/", {"q": SECRET}).content.decode()
    assert "In your journal" in page and f"/journal/{entry.pk}/" in page
    for role, person in others.items():
        page = client_for(person).get("/search/", {"q": SECRET}).content.decode()
        assert "In your journal" not in page and f"/journal/{entry.pk}/" not in page, role
        assert "I deployed on Friday" not in page, role


@pytest.mark.parametrize(
    "role",
    [
        "teammate",
        "team admin",
        "other team's admin",
        "organisation admin",
        "other organisation",
        "operator",
    ],
)
def test_everyone_else_gets_404_in_web_api_and_admin(client_for, entry, others, role) -> None:
    c = client_for(others[role])
    for url in WEB_URLS:
        assert c.get(url.format(pk=entry.pk)).status_code == 404, url
        assert c.post(url.format(pk=entry.pk), {"title": "x", "version": 1}).status_code == 404
    assert c.get(f"/api/journal/entries/{entry.pk}").status_code == 404
    response = c.patch(
        f"/api/journal/entries/{entry.pk}",
        data=json.dumps({"version": 1, "title": "taken"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert c.delete(f"/api/journal/entries/{entry.pk}").status_code == 404
    listed = c.get("/api/journal/entries").json()
    assert listed["count"] == 0
    for url in ("/admin/journal/entry/", f"/admin/journal/entry/{entry.pk}/change/"):
        assert c.get(url).status_code in (302, 404), url  # non-operators are sent to sign in
    for url in ("/journal/", "/search/"):
        page = c.get(url, {"q": SECRET})
        assert (
            page.status_code in (200, 302) and "I deployed on Friday" not in page.content.decode()
        )
    entry.refresh_from_db()
    assert entry.title.startswith("I deployed") and entry.version == 1


def test_the_operator_admin_has_no_journal(client_for, operator, entry) -> None:
    c = client_for(operator)
    assert c.get("/admin/").status_code == 200
    assert "journal" not in c.get("/admin/").content.decode().lower()
    assert c.get("/admin/journal/entry/").status_code == 404
    assert c.get(f"/admin/journal/entry/{entry.pk}/change/").status_code == 404


def test_an_entry_id_that_does_not_exist_looks_the_same(client_for, alice, entry) -> None:
    c = client_for(alice)
    missing = c.get(f"/api/journal/entries/{entry.pk + 1000}")
    hidden = c.get(f"/api/journal/entries/{entry.pk}")
    assert missing.status_code == hidden.status_code == 404
    assert missing.json() == hidden.json()


@pytest.mark.parametrize("pk", [2**63, 10**20])
def test_an_id_no_bigint_holds_is_404_not_500(client_for, bob, entry, pk) -> None:
    """Past the 64-bit id column no row exists: the author's own pages answer the same 404 as
    for a missing entry, never the database driver's overflow as a 500."""
    c = client_for(bob)
    for url in [*WEB_URLS, "/journal/{pk}/share/"]:
        assert c.get(url.format(pk=pk)).status_code == 404, url
    response = c.get(f"/api/journal/entries/{pk}")
    assert response.status_code == 404
    assert response.json() == c.get(f"/api/journal/entries/{entry.pk + 1000}").json()


def test_private_tags_stay_out_of_the_shared_tag_table(entry, org) -> None:
    from learnloop.core.models import Tag

    assert not Tag.objects.filter(organisation=org, name__iexact="deploys").exists()


def test_the_authors_own_export_holds_their_entries_and_nobody_elses(
    client_for, bob, alice, entry
) -> None:
    from learnloop.testing.builders import make_journal_entry

    make_journal_entry(alice, answers={"what": "Alice's own thought."})
    mine = client_for(bob).get("/journal/export/")
    assert mine.status_code == 200 and "attachment" in mine["Content-Disposition"]
    data = mine.json()
    assert [e["title"] for e in data["entries"]] == [entry.title]
    assert "Alice's own thought." not in mine.content.decode()
    api = client_for(alice).get("/api/journal/export").json()
    assert [e["answers"] for e in api["entries"]] == [{"what": "Alice's own thought."}]
    assert SECRET not in str(api)


def test_the_organisation_export_has_no_journal(bob, org, entry) -> None:
    from learnloop.transfer.json_export import export_data

    data = export_data(organisation=org)
    assert SECRET not in str(data) and "journal" not in str(sorted(data))
