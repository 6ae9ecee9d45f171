"""/api/docs in a real browser under the product's CSP: the viewer draws the operations list
from local static files, with no blocked resource and no request to another host (issue 11,
item 1), and /favicon.ico answers with the icon (item 9)."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

# Swagger UI's virtualized operations list: each drawn row carries its index in the list.
LAST_ROW = """() => Math.max(...[...document.querySelectorAll(
    '.operations-virtual__list [data-index]')].map(row => Number(row.dataset.index)))"""
TO_TOP = """(n) => document.querySelector(
    `.operations-virtual__list [data-index="${n}"]`).scrollIntoView({block: 'start'})"""
DRAWN_PAST_OR_AT_END = """(n) => [...document.querySelectorAll(
    '.operations-virtual__list [data-index]')].some(row => Number(row.dataset.index) > n)
    || window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2"""


def _operations_on_screen(page) -> set[str]:
    return set(
        page.locator(".opblock-summary").evaluate_all(
            """blocks => blocks.map(b =>
                b.querySelector('.opblock-summary-method').textContent.trim() + ' ' +
                b.querySelector('.opblock-summary-path').getAttribute('data-path'))"""
        )
    )


def test_the_api_viewer_shows_the_operations(server, new_page) -> None:
    """Swagger UI (5.3x) draws a list of 150 rows or more (tags + operations) virtualized:
    only the rows in and near the viewport are in the page, the others are drawn as they
    scroll into view. So the journey scrolls through the whole list and must meet every
    operation of the OpenAPI document."""
    page = new_page()
    problems: list[str] = []
    hosts: set[str] = set()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    document = page.request.get(server.url + "/api/openapi.json").json()
    expected = {
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method in operations
    }
    assert len(expected) > 150  # the list is long enough to be virtualized

    page.goto(server.url + "/api/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Learnloop API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/me").first).to_be_visible()
    seen: set[str] = set()
    last = -1
    while True:
        seen |= _operations_on_screen(page)
        top = page.evaluate(LAST_ROW)
        if top == last:
            break
        last = top
        # The last drawn row to the top of the window: the rows after it are drawn next.
        page.evaluate(TO_TOP, top)
        page.wait_for_function(DRAWN_PAST_OR_AT_END, arg=top)
    seen |= _operations_on_screen(page)
    assert seen == expected, f"never drawn: {sorted(expected - seen)[:10]}"
    # The last operation opens.
    page.locator(".opblock-summary").last.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert problems == []
    assert hosts == {urlsplit(server.url).netloc}


def test_favicon_ico_is_the_served_svg_icon(server, new_page) -> None:
    response = new_page().request.get(server.url + "/favicon.ico")

    assert response.status == 200
    assert response.url.startswith(server.url + "/static/learnloop/favicon.")
    assert response.headers["content-type"] == "image/svg+xml"
    assert "<svg" in response.text()
