"""The site navigation (decision 0079): the same items in the wide and the phone menu, the
current section marked, labels escaped; URLs reversed once, not per page."""

from __future__ import annotations

import re

from django.test import RequestFactory
from django.urls import reverse

from learnloop.web import context, nav


def test_both_menus_list_every_item_once_with_the_current_section_marked(client_for, bob) -> None:
    html = client_for(bob).get(reverse("journal:list")).content.decode()
    journal = reverse("journal:list")
    items = re.findall(r'<li><a href="([^"]+)"( aria-current="page")?>([^<]+)</a></li>', html)
    menu = [(url, label) for url, _, label in items if url in {u for _, u, *_ in _links()}]
    expected = [(url, label) for label, url, *_ in _links()]
    assert menu == expected + expected  # wide menu, then the phone menu
    current = [url for url, mark, _ in items if mark]
    assert current == [journal, journal]
    assert ("/", "Home") in menu and html.count('aria-current="page"') == 2


def _links() -> tuple[tuple[str, str, str, str], ...]:
    from django.urls import get_script_prefix

    return context._nav_links(get_script_prefix(), context._urlconf(), len(nav.NAV_ITEMS))


def test_labels_are_escaped_and_items_registered_later_are_shown(bob) -> None:
    item = nav.NavItem("<b>Q&A</b>", "journal:frameworks", 99)
    request = RequestFactory().get("/")
    request.user = bob
    before = str(context.navigation(request)["nav_links"])
    nav.NAV_ITEMS.append(item)
    try:
        links = str(context.navigation(request)["nav_links"])
    finally:
        nav.NAV_ITEMS.remove(item)
    frameworks = reverse("journal:frameworks")
    assert links.startswith(before)
    assert links[len(before) :] == f'<li><a href="{frameworks}">&lt;b&gt;Q&amp;A&lt;/b&gt;</a></li>'
    assert '<li><a href="/" aria-current="page">Home</a></li>' in before


def test_signed_out_there_is_no_navigation(rf) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert context.navigation(request) == {"nav_items": [], "nav_links": ""}


def test_the_account_menu_is_shown_twice_with_the_sign_out_form(client_for, bob) -> None:
    """``{% account_menu %}`` (decision 0179): both menus carry the same rows, the sign-out form
    has the page's CSRF field, and only an operator gets the admin link."""
    html = client_for(bob).get(reverse("journal:list")).content.decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert token is not None
    rows = (
        f'\n<li><a href="{reverse("accounts:profile")}">Account and API tokens</a></li>\n\n'
        f'<li><form method="post" action="{reverse("accounts:logout")}" class="inline-form">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token.group(1)}">'
        '<button type="submit" class="secondary outline">Sign out</button></form></li>\n'
    )
    assert html.count(rows) == 2 and "Operator admin" not in html


def test_an_operator_gets_the_admin_link_in_both_menus(bob) -> None:
    from django.template import Context, Template

    bob.is_superuser, bob.organisation_id = True, None
    request = RequestFactory().get("/")
    request.user = bob
    menu = Template("{% load chrome %}{% account_menu %}").render(
        Context({"user": bob, "request": request, "csrf_token": "t0ken"})
    )
    assert f'<li><a href="{reverse("admin:index")}">Operator admin</a></li>' in menu
    assert 'name="csrfmiddlewaretoken" value="t0ken"' in menu
