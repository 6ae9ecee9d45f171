"""Browsers ask for /favicon.ico on every site; it answers with the product's icon, and every
page links the SVG itself (issue 11, item 9)."""

from __future__ import annotations

from xml.etree import ElementTree

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client

from learnloop.accounts.models import User


def test_favicon_ico_redirects_to_the_svg_icon(client: Client) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == static("learnloop/favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]
    icon = finders.find("learnloop/favicon.svg")
    assert isinstance(icon, str)
    assert ElementTree.parse(icon).getroot().tag == "{http://www.w3.org/2000/svg}svg"


def test_favicon_ico_refuses_writes(client: Client) -> None:
    assert client.post("/favicon.ico").status_code == 405


def test_pages_link_the_icon(client: Client, client_for, alice: User) -> None:
    link = f'<link rel="icon" href="{static("learnloop/favicon.svg")}" type="image/svg+xml">'
    assert link in client.get("/login/").content.decode()
    assert link in client_for(alice).get("/").content.decode()
    assert link in client.get("/api/docs").content.decode()
