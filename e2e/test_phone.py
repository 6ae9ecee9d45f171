"""Phone journeys (issue 11, items 13 and 5): on a 390 x 844 screen the navigation is one
compact row (bell + "Menu" disclosure), content starts right under it on every main page, and
the report form shows the anonymous option and the related lessons before "Send report"."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
INES = ("ines@harbour.test", "Ines Park-Oyelaran", "admin")

MAIN_PAGES = (
    "/",
    "/incidents/new/",
    "/incidents/",
    "/reviews/",
    "/actions/",
    "/lessons/",
    "/search/",
    "/notifications/",
    "/teams/",
)

#: Where a page's first content may start on a phone (it was ~300 px with three nav rows).
MAX_CONTENT_TOP = 120


@pytest.fixture
def ines(organisation) -> None:
    """Harbour's Ward 4 with Ines, its team admin (the shared ``organisation`` fixture)."""
    organisation(name="Harbour", team="Ward 4", people=[INES])


@pytest.fixture
def phone(ines, new_page, sign_in):
    """A phone-sized page, signed in as Ines, with the compact menu showing."""
    page = new_page(**PHONE)
    sign_in(page, INES[0])
    expect(page.locator("header.site summary", has_text="Menu")).to_be_visible()
    return page


def screenshot(page, name: str) -> None:
    """A full-page picture in $LEARNLOOP_E2E_SCREENSHOTS, when set (for looking, not asserting)."""
    folder = os.environ.get("LEARNLOOP_E2E_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_main_pages_start_near_the_top_on_a_phone(server, phone) -> None:
    page = phone
    for path in MAIN_PAGES:
        page.goto(server.url + path)
        first = page.locator("main > :not(.messages)").first
        expect(first).to_be_visible()
        top = first.bounding_box()["y"]
        screenshot(page, "phone" + path.replace("/", "_"))
        assert top < MAX_CONTENT_TOP, f"{path}: content starts at {top:.0f} px"
        header = page.locator("header.site").bounding_box()
        assert header["height"] < 90, f"{path}: header is {header['height']:.0f} px tall"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_phone_menu_works_by_keyboard_and_keeps_the_bell(phone) -> None:
    page = phone
    nav = page.get_by_role("navigation", name="Main")
    # Closed: the section links are tucked away, the bell stays in reach.
    expect(nav.get_by_role("link", name="Library")).to_have_count(0)
    expect(nav.get_by_role("link", name="Notifications")).to_be_visible()
    menu = nav.locator("summary", has_text="Menu")
    disclosure = nav.locator("details.nav-menu")
    expect(disclosure).not_to_have_attribute("open", "")

    # Keyboard only: Tab reaches the disclosure, Enter opens it, Tab walks its links.
    menu.focus()
    page.keyboard.press("Enter")
    expect(disclosure).to_have_attribute("open", "")
    for label in ("Home", "Report", "Incidents", "Reviews", "Actions", "Library", "Search"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(nav.get_by_text("Signed in as Ines Park-Oyelaran")).to_be_visible()
    screenshot(page, "phone_menu_open")
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="Home", exact=True)).to_be_focused()
    nav.get_by_role("link", name="Library").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Library", level=1)).to_be_visible()
    expect(nav.get_by_role("link", name="Library")).to_have_count(0)  # menu closed again

    # The menu marks where you are and holds the account links.
    menu.click()
    expect(nav.get_by_role("link", name="Library")).to_have_attribute("aria-current", "page")
    nav.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_wide_screens_keep_the_one_row_navigation(ines, new_page, sign_in) -> None:
    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, INES[0])
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Library")).to_be_visible()
    expect(nav.locator("summary", has_text="Menu")).not_to_be_visible()
    # One row: every link sits level with the brand.
    brand_y = nav.get_by_role("link", name="Learnloop").bounding_box()["y"]
    for link in nav.get_by_role("link").all():
        assert abs(link.bounding_box()["y"] - brand_y) < 20, link.text_content()


LESSON = """
from learnloop.accounts.models import Team
from learnloop.lessons.services import lesson_create
team = Team.objects.get(slug="ward-4")
lesson_create(actor=None, team=team, statement="Renew TLS certificates automatically, alert before expiry.",
              context="An expired certificate broke every client handshake.", tags=["tls"])
lesson_create(actor=None, team=team, statement="Rotate TLS certificates with a calendar reminder.",
              context="The certificate of the portal expired; every browser refused it.", tags=["tls"])
"""


def test_anonymous_option_and_related_lessons_are_seen_before_sending(server, phone) -> None:
    page = phone
    server.cli("shell", "-c", LESSON)
    page.goto(server.url + "/incidents/new/")
    send = page.get_by_role("button", name="Send report")
    # In view without opening "More details": the option and its plain explanation.
    anonymous = page.get_by_label("Report anonymously")
    expect(anonymous).to_be_visible()
    expect(page.locator("#anonymous-explainer")).to_be_visible()
    expect(page.locator("#anonymous-explainer")).to_contain_text("not the time")
    expect(page.locator("details", has_text="More details")).not_to_have_attribute("open", "")

    page.get_by_label("Title").fill("Portal certificate lapsed")
    page.get_by_label("What happened").press_sequentially(
        "Browsers refused the portal because the TLS certificate expired overnight.", delay=5
    )
    related = page.locator("#related-box-results").get_by_role("link").first
    expect(related).to_be_visible()
    screenshot(page, "phone_report_form")
    # Reading down the page, the related lessons and the anonymous option come before sending.
    related_y = related.bounding_box()["y"]
    anonymous_y = anonymous.bounding_box()["y"]
    send_y = send.bounding_box()["y"]
    assert related_y < anonymous_y < send_y, (related_y, anonymous_y, send_y)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    anonymous.check()
    send.click()
    expect(page.get_by_role("heading", name="Your report was filed anonymously")).to_be_visible()
