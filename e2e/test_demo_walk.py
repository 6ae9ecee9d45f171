"""The demo walk, as a visitor takes it, screenshotted for the docs (docs/demo.md, README).

Each stop checks what the visitor should see there. The pictures go to a temporary folder;
``LEARNLOOP_WRITE_SCREENSHOTS=1`` writes them to docs/images/ instead (re-run this test to
refresh them after a visible change)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import expect

DOCS_IMAGES = Path(__file__).parent.parent / "docs" / "images"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def test_the_demo_walk(demo, new_page, tmp_path: Path) -> None:
    out = DOCS_IMAGES if os.environ.get("LEARNLOOP_WRITE_SCREENSHOTS") else tmp_path
    url, ids = demo.server.url, demo.ids
    page = new_page(viewport=DESKTOP)
    demo.sign_in(page)

    def shot(name: str, target=None, full_page: bool = False) -> None:
        page.wait_for_load_state("networkidle")
        (target or page).screenshot(path=str(out / f"{name}.png"), **(
            {"full_page": full_page} if target is None else {}))  # fmt: skip

    expect(page.get_by_role("heading", name=re.compile("Amara"))).to_be_visible()
    shot("01-home")

    page.goto(url + "/incidents/dashboard/")
    expect(page.get_by_role("heading", name="Time to resolve by month")).to_be_visible()
    expect(page.get_by_role("heading", name="Actions by month due")).to_be_visible()
    shot("02-dashboard", full_page=True)

    page.goto(url + "/incidents/")
    expect(page.get_by_role("link", name=re.compile("Checkout timed out"))).to_be_visible()
    shot("03-incidents")

    page.goto(url + f"/incidents/{ids['incident']}/")
    expect(page.get_by_role("heading", name=re.compile("Checkout timed out"))).to_be_visible()
    shot("04-incident")

    page.goto(url + f"/reviews/{ids['review']}/")
    expect(page.get_by_text("A retry without a budget").first).to_be_visible()
    shot("05-review", full_page=True)

    page.goto(url + f"/reviews/{ids['review_with_hints']}/edit/")
    hints = page.locator(".coach-hints").first
    expect(hints).to_be_visible()
    shot("06-coach-hints")

    page.goto(url + f"/reviews/{ids['review_cooling_off']}/")
    expect(page.get_by_role("heading", name="Cooling off")).to_be_visible()
    shot("07-cooling-off")

    page.goto(url + "/actions/?team=platform&status=all")
    expect(page.locator(".badge.overdue").first).to_be_visible()
    shot("08-actions")

    page.goto(url + "/lessons/")
    expect(page.get_by_text("A retry without a budget").first).to_be_visible()
    shot("09-lessons")

    page.goto(url + f"/lessons/{ids['lesson']}/")
    expect(page.get_by_text("Payment provider slowdown, contained").first).to_be_visible()
    shot("10-lesson-applied")

    page.goto(url + f"/incidents/{ids['anonymous']}/")
    expect(page.get_by_text(re.compile("anonymous", re.I)).first).to_be_visible()
    shot("11-anonymous-report")

    phone = new_page(viewport=PHONE)
    demo.sign_in(phone)
    phone.goto(url + "/incidents/new/")
    expect(phone.get_by_role("button", name=re.compile("Send report"))).to_be_attached()
    phone.wait_for_load_state("networkidle")
    phone.screenshot(path=str(out / "12-report-on-a-phone.png"))
    for name in ("01-home", "02-dashboard", "06-coach-hints", "12-report-on-a-phone"):
        assert (out / f"{name}.png").stat().st_size > 10_000
