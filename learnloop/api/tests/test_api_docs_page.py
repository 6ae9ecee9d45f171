"""/api/docs loads the API viewer from this server's own static files: nothing from a CDN
(the CSP allows scripts and styles from 'self' only), no inline script (issue 11, item 1)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.contrib.staticfiles import finders
from django.test import Client

from learnloop.core.middleware import CSP


class _References(HTMLParser):
    """Every src/href on the page, and whether a <script> has code in it."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._script_type: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.urls += [v for k, v in attrs if k in {"src", "href"} and v]
        if tag == "script":
            self._script_type = values.get("type") or "text/javascript"

    def handle_data(self, data: str) -> None:
        if self._script_type == "text/javascript" and data.strip():
            self.inline_scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_type = None


def test_the_api_viewer_loads_only_local_static_files(client: Client) -> None:
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CSP
    page = _References()
    page.feed(response.content.decode())
    assert page.inline_scripts == []
    assert not re.search(r"https?://", response.content.decode())
    static = [url for url in page.urls if url.startswith("/static/")]
    assert {u.rsplit("/", 1)[-1] for u in static} >= {
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "api-docs.js",
    }
    assert set(page.urls) - set(static) == {"/api/openapi.json"}  # the <noscript> link
    for url in static:
        assert finders.find(url.removeprefix("/static/")), url


def test_the_api_viewer_is_pointed_at_this_servers_document(client: Client) -> None:
    response = client.get("/api/docs")

    assert '"url": "/api/openapi.json"' in response.content.decode()
    assert '"validatorUrl": null' in response.content.decode()
    assert client.get("/api/openapi.json").status_code == 200
