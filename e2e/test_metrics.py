"""Issue 16, items 3 and 4 in a browser: on the demo organisation the leaders' page "Is our loop
working?" shows every metric with data — a reading, a chart drawn by the vendored Chart.js and
its data table — at desktop and phone widths, with no other person named."""

from __future__ import annotations

from playwright.sync_api import expect

from learnloop.metrics.catalogue import KEYS

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _check_every_metric(page) -> None:
    expect(page.get_by_role("heading", name="Is our loop working?", level=1)).to_be_visible()
    for key in KEYS:
        card = page.locator(f"#m-{key}")
        expect(card).to_have_attribute("data-state", "ok")
        expect(card.locator(".metric-reading")).not_to_contain_text("No data yet")
        canvas = card.locator("canvas")
        canvas.scroll_into_view_if_needed()
        expect(canvas).to_be_visible()
        # Chart.js has drawn: it sizes the canvas's pixel buffer to its box.
        assert canvas.evaluate("c => c.width > 100 && c.height > 100"), key
        card.get_by_text("Data table").click()
        expect(card.locator("table tbody tr").first).to_be_visible()


def test_the_leaders_page_shows_every_metric_with_demo_data(demo, new_page) -> None:
    url = demo.server.url
    errors: list[str] = []
    page = new_page(viewport=DESKTOP)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    demo.sign_in(page)
    page.goto(url + "/metrics/")
    assert page.url.endswith("/metrics/organisation/")
    _check_every_metric(page)
    matches = page.locator("#m-repeat-incidents .repeat-matches li")
    page.locator("#m-repeat-incidents").get_by_text("Close matches").click()
    expect(matches.first).to_be_visible()
    # nobody but the viewer is named anywhere on the page
    text = page.locator("main").inner_text()
    for name in (
        "Jonas",
        "Priya",
        "Tomás",
        "Keiko",
        "Lena",
        "Malik",
        "Sofia",
        "Ben A",
        "Inès",
        "Oskar",
        "Hana Kim",
    ):
        assert name not in text, name
    assert errors == []  # no CSP refusal, no script error

    phone = new_page(viewport=PHONE)
    demo.sign_in(phone)
    phone.goto(url + "/metrics/organisation/")
    _check_every_metric(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width} px)"
