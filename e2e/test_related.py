"""Typing a new incident shows related past lessons; search finds them with highlights."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

PAST = """---
uuid: e2e-related-0001
url: https://status.example.org/incidents/7
title: Payment API certificate expired
keywords:
- tls
- certificate
summary: The TLS certificate of the payment API expired and every client failed the handshake.
---

Renewal was manual; the reminder went to a former employee's mailbox. We now renew automatically
and alert thirty days before expiry.
"""

SETUP = """
from learnloop.accounts.models import Team
from learnloop.testing.builders import make_lesson
make_lesson(Team.objects.get(slug="platform"), statement="Renew TLS certificates automatically, alert before expiry.",
              context="An expired certificate broke every client handshake.", tags=["tls"])
"""


def test_typing_a_new_incident_shows_related_past_lessons(
    server, new_page, organisation, sign_in, tmp_path: Path
) -> None:
    organisation(name="Crumb", team="Platform", people=[("noor@crumb.test", "Noor", "admin")])
    server.cli("shell", "-c", SETUP)
    md = tmp_path / "past.md"
    md.write_text(PAST, encoding="utf-8")
    server.cli("import", str(md), "--team", "Platform", "--no-progress")

    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, "noor@crumb.test")
    page.locator("header.site summary", has_text="Menu").click()  # the phone's compact menu
    expect(page.get_by_role("link", name="Search")).to_be_visible()

    page.goto(server.url + "/incidents/new/")
    box = page.locator("#related-box-results")
    page.locator("#id_title").fill("Login service certificate lapsed")
    page.locator("#id_description").press_sequentially(
        "Browsers refused to connect because the TLS cert expired overnight.", delay=5
    )
    expect(box.get_by_role("link", name="Renew TLS certificates automatically")).to_be_visible()
    expect(box.get_by_role("link", name="Payment API certificate expired").first).to_be_visible()
    expect(box.get_by_text("Why:").first).to_contain_text("expiry")

    page.locator("#id_title").fill("Team lunch")
    page.locator("#id_description").fill("The pizza arrived cold.")
    page.locator("#id_description").press("End")
    page.locator("#id_description").type(" Again.")
    expect(box.get_by_text("No past lesson matches closely enough yet.")).to_be_visible()

    page.goto(server.url + "/search/")
    page.get_by_label("Search incidents, reviews and lessons").fill('certificate "NEAR( 🔥')
    page.get_by_role("button", name="Search").click()
    expect(page.locator("mark").first).to_be_visible()
    expect(page.get_by_role("link", name="Renew TLS certificates automatically")).to_be_visible()
