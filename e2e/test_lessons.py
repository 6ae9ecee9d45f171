"""A lesson marked "applied here" on an incident counts one more reuse."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

INCIDENT = """---
uuid: e2e-0001
url: https://status.example.org/incidents/42
title: Ordering site certificate expired
start_time: 2025-02-03T06:10:00Z
end_time: 2025-02-03T07:05:00Z
keywords:
- tls
summary: The certificate of the ordering site expired; browsers refused to connect for an hour.
---

The renewal reminder went to a mailbox nobody reads any more.
"""

LESSON = """
from learnloop.accounts.models import Team
from learnloop.testing.builders import make_lesson
lesson = make_lesson(Team.objects.get(slug="platform"),
                     statement="Put renewal dates in the team calendar.", tags=["tls"])
print(lesson.pk)
"""


def test_applied_here_counts_one_more_reuse(
    server, new_page, organisation, sign_in, tmp_path: Path
) -> None:
    organisation(name="Crumb", team="Platform", people=[("noor@crumb.test", "Noor", "admin")])
    md = tmp_path / "incident.md"
    md.write_text(INCIDENT, encoding="utf-8")
    result = server.cli("import", str(md), "--team", "Platform", "--no-progress")
    assert result.stdout.strip() == "imported 1, updated 0, failed 0", result.stderr
    lesson_id = server.cli("shell", "-c", LESSON).stdout.split()[-1]

    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, "noor@crumb.test")
    page.locator("header.site summary", has_text="Menu").click()  # the phone's compact menu
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Library")
    ).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    expect(page.get_by_role("heading", name="Library", level=1)).to_be_visible()
    page.get_by_role("link", name="Put renewal dates in the team calendar.").click()
    expect(page).to_have_url(re.compile(rf"/lessons/{lesson_id}/$"))
    expect(page.get_by_test_id("applied-count")).to_have_text("0")

    select = page.get_by_label("Incident where this lesson helped")
    expect(select).to_contain_text("Ordering site certificate expired")
    select.select_option(index=0)
    page.get_by_role("button", name="Applied here").click()
    expect(page.get_by_test_id("applied-count")).to_have_text("1")
    expect(
        page.get_by_role("listitem").filter(has_text="Ordering site certificate expired")
    ).to_be_visible()

    page.reload()
    expect(page.get_by_test_id("applied-count")).to_have_text("1")
