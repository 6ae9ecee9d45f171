"""Search page, related partial and API: visibility, snippets, nasty input."""

from __future__ import annotations

import json

import pytest

from learnloop.accounts.visibility import visibility_sql
from learnloop.core.models import Visibility
from learnloop.search import selectors

pytestmark = pytest.mark.django_db

NASTY = [
    '"unbalanced',
    "NOT AND OR",
    "title:secret",
    "cert* ^ NEAR(a b)",
    "(((",
    "'; DROP TABLE search_document; --",
    "🔥🔥 certificate 🔥",
    "x" * 10000,
    "word " * 2500,
    "%s %% ? \\",
    "",
    "   ",
]

TLS_TITLE = "TLS certificate expired on the payments gateway"
TLS_TEXT = (
    "The certificate for the internal payments gateway expired overnight; every client "
    "failed the TLS handshake until we renewed the certificate by hand."
)


@pytest.fixture
def docs(make_incident, make_lesson, beta):
    private = make_incident(TLS_TITLE + " private", TLS_TEXT, visibility=Visibility.TEAM)
    shared = make_lesson(
        "Renew certificates before they expire",
        TLS_TEXT,
        visibility=Visibility.ORGANISATION,
    )
    beta_private = make_incident(
        "Beta certificate expiry", TLS_TEXT, team=beta, visibility=Visibility.TEAM
    )
    return {"private": private, "shared": shared, "beta_private": beta_private}


def test_it_applies_the_visibility_rule_in_search(docs, bob, charlie, mallory):
    def seen(user):
        return {(r.kind, r.object_id) for r in selectors.search(user, "certificate").results}

    assert seen(bob) == {("incident", docs["private"].pk), ("lesson", docs["shared"].pk)}
    assert seen(charlie) == {("lesson", docs["shared"].pk), ("incident", docs["beta_private"].pk)}
    assert seen(mallory) == set()


def test_it_applies_the_visibility_rule_in_related(docs, bob, charlie, mallory):
    def seen(user):
        return {(r.kind, r.object_id) for r in selectors.related(user, TLS_TITLE, TLS_TEXT)}

    assert ("incident", docs["private"].pk) in seen(bob)
    assert ("incident", docs["private"].pk) not in seen(charlie)
    assert ("lesson", docs["shared"].pk) in seen(charlie)
    assert seen(mallory) == set()


def test_it_shows_highlighted_snippets_on_the_search_page(docs, client_for, bob):
    resp = client_for(bob).get("/search/", {"q": "certificate"})
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "<mark>" in body
    assert "Renew" in body


def test_it_filters_search_by_kind_and_team(docs, client_for, charlie, beta):
    c = client_for(charlie)
    body = c.get("/search/", {"q": "certificate", "kind": "lesson"}).content.decode()
    assert "Renew" in body and "Beta certificate expiry" not in body
    body = c.get("/search/", {"q": "certificate", "team": beta.pk}).content.decode()
    assert "Beta" in body and "Renew" not in body


def test_it_hides_private_items_from_other_teams_on_every_surface(
    docs, client_for, charlie, mallory
):
    for user in (charlie, mallory):
        c = client_for(user)
        assert "private</" not in c.get("/search/", {"q": "certificate private"}).content.decode()
        part = c.post("/search/related/", {"title": TLS_TITLE, "description": TLS_TEXT})
        assert TLS_TITLE + " private" not in part.content.decode()
        api = c.get("/api/search", {"q": "certificate private"}).json()
        assert all(i["id"] != docs["private"].pk or i["kind"] != "incident" for i in api["items"])
        rel = c.post(
            "/api/search/related",
            json.dumps({"title": TLS_TITLE, "description": TLS_TEXT}),
            content_type="application/json",
        ).json()
        assert all(r["title"] != TLS_TITLE + " private" for r in rel)
    assert client_for(mallory).get("/api/search", {"q": "certificate"}).json()["items"] == []


def test_it_never_fails_on_nasty_queries(docs, client_for, bob):
    c = client_for(bob)
    for q in NASTY:
        assert c.get("/search/", {"q": q}).status_code == 200
        assert c.get("/api/search", {"q": q}).status_code == 200
        assert c.post("/search/related/", {"title": q, "description": q}).status_code == 200
        resp = c.post(
            "/api/search/related",
            json.dumps({"title": q, "description": q}),
            content_type="application/json",
        )
        assert resp.status_code == 200, resp.content


def test_it_escapes_document_html_in_snippets(make_lesson, client_for, bob):
    make_lesson("<script>alert(1)</script> kestrel", "<b>kestrel</b>")
    body = client_for(bob).get("/search/", {"q": "kestrel"}).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;" in body


def test_it_says_why_related_items_matched(docs, client_for, bob):
    part = client_for(bob).post("/search/related/", {"title": TLS_TITLE, "description": TLS_TEXT})
    body = part.content.decode()
    assert "Renew certificates" in body
    assert "Why:" in body
    rel = client_for(bob).get("/api/search/related", {"title": TLS_TITLE, "description": TLS_TEXT})
    assert rel.status_code == 200
    assert rel.json()[0]["reasons"]
    assert 0 < rel.json()[0]["confidence"] <= 1


def test_it_shows_nothing_for_unrelated_text(docs, client_for, bob):
    body = (
        client_for(bob)
        .post("/search/related/", {"title": "Lunch order", "description": "Pizza arrived cold."})
        .content.decode()
    )
    assert "<li>" not in body


def test_it_excludes_the_page_own_object(docs, bob):
    inc = docs["private"]
    found = selectors.related(bob, inc.title, inc.description, [("incident", inc.pk)])
    assert ("incident", inc.pk) not in {(r.kind, r.object_id) for r in found}


def test_it_uses_the_product_visibility_value():
    assert visibility_sql("sqlite", 1, [])[1] == [1, Visibility.ORGANISATION]


def test_it_requires_login(client):
    assert client.get("/search/", {"q": "x"}).status_code == 302
    assert client.post("/search/related/", {"title": "x"}).status_code == 302
    assert client.get("/api/search", {"q": "x"}).status_code == 401


def test_the_related_box_refuses_text_in_the_url(client_for, bob):
    assert client_for(bob).get("/search/related/", {"title": "x"}).status_code == 405


def test_it_paginates_search(make_lesson, client_for, bob):
    for i in range(selectors.PAGE_SIZE + 3):
        make_lesson(f"Lemur lesson {i}", "lemur")
    first = selectors.search(bob, "lemur", page=1)
    second = selectors.search(bob, "lemur", page=2)
    assert first.has_next and len(first.results) == selectors.PAGE_SIZE
    assert not second.has_next and len(second.results) == 3
    body = client_for(bob).get("/search/", {"q": "lemur"}).content.decode()
    assert 'rel="next"' in body


def test_it_puts_the_live_related_box_on_the_new_incident_form(client_for, bob):
    body = client_for(bob).get("/incidents/new/").content.decode()
    assert 'hx-post="/search/related/"' in body  # the text typed never goes into a URL
    assert 'aria-live="polite"' in body
    assert "from:#id_title" in body and "#id_description" in body


def test_it_shows_related_lessons_on_incident_and_review_pages(
    docs, make_incident, make_review, client_for, bob, charlie
):
    inc = make_incident("Gateway certificate expired again", TLS_TEXT)
    body = client_for(bob).get(f"/incidents/{inc.pk}/").content.decode()
    assert "Related past lessons" in body
    assert "Renew certificates before they expire" in body
    assert TLS_TITLE + " private" in body
    rev = make_review("Review: certificate expired", incident=inc, content={"summary": TLS_TEXT})
    body = client_for(bob).get(f"/reviews/{rev.pk}/").content.decode()
    assert "Renew certificates before they expire" in body
    # The page's own incident and review are never suggested to themselves.
    assert f'href="/reviews/{rev.pk}/">' not in body.split("Related past lessons")[1]
    assert client_for(charlie).get(f"/incidents/{inc.pk}/").status_code == 404
    assert f'href="/incidents/{inc.pk}/">' not in body.split("Related past lessons")[1]


def test_an_emoji_query_finds_the_lesson_with_that_emoji(make_lesson, client_for, bob):
    make_lesson("Celebrate the rollback 🎉 as a team", "We thanked everyone 🙏 who helped.")
    make_lesson("Keep the pager quiet at night", "Fewer alerts, each one actionable.")
    body = client_for(bob).get("/search/", {"q": "🎉"}).content.decode()
    assert "Celebrate the rollback" in body
    assert "Keep the pager quiet" not in body
    assert "Celebrate the rollback" in client_for(bob).get("/search/", {"q": "🙏"}).content.decode()
    assert "Nothing found" in client_for(bob).get("/search/", {"q": "🚒"}).content.decode()


def test_a_long_query_is_not_echoed_in_full(client_for, bob):
    query = "unmatchable " + "z" * 3000
    body = client_for(bob).get("/search/", {"q": query}).content.decode()
    shown = body.split("Nothing found for “", 1)[1].split("”", 1)[0]
    assert shown.endswith("…")
    assert len(shown) <= 80


def test_the_search_form_is_a_labelled_search_landmark_with_its_button_beside_the_query(
    client_for, bob
):
    body = client_for(bob).get("/search/").content.decode()
    assert "<search>" in body
    # The query box and its button form one group; the filters sit outside it.
    group = body.split('<div role="group">', 1)[1].split("</div>", 1)[0]
    assert 'id="search-q"' in group and "<button" in group
    assert 'name="team"' not in group and 'name="kind"' not in group


def test_the_library_has_its_own_lesson_search_box(make_lesson, client_for, bob):
    make_lesson("Rotate the signing key every quarter", "Keys older than 90 days are replaced.")
    body = client_for(bob).get("/lessons/").content.decode()
    form = body.split('class="library-search"', 1)[1].split("</form>", 1)[0]
    assert 'name="q"' in form and 'name="kind" value="lesson"' in form
    assert "Search lessons" in form
    found = client_for(bob).get("/search/", {"q": "signing key", "kind": "lesson"})
    assert "every quarter" in found.content.decode()
