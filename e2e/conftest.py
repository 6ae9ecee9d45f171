"""Browser journeys: Playwright drives Debian's Chromium against a real ``learnloop serve``
(gunicorn + worker) on a fresh SQLite data dir, with email going to a local SMTP server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import SmtpInbox, free_port, local_smtp

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LEARNLOOP = [sys.executable, "-m", "learnloop.cli"]
PASSWORD = "a-very-good-password"
NOOR_AND_SAM = (
    ("noor@clinic.test", "Noor Haddad", "admin"),
    ("sam@clinic.test", "Sam Ito", "member"),
)

SEED_ORGANISATION = """
import json
from learnloop.testing.builders import make_organisation, make_team, make_user
spec = json.loads({spec!r})
org = make_organisation(name=spec["organisation"])
team = make_team(org, name=spec["team"])
for email, name, role in spec["people"]:
    make_user(email, org, team=team, role=role, display_name=name, password=spec["password"],
              is_org_admin=email in spec["org_admins"])
"""


def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


class Mailbox(SmtpInbox):
    """The session's local SMTP server, as the browser journeys read it."""

    def wait_for(self, to: str, timeout: float = 20, subject: str = "") -> object:
        """Wait for a message to ``to`` (whose subject starts with ``subject``, if given)
        delivered over SMTP and return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if to in message["To"] and str(message["Subject"]).strip().startswith(subject):
                    return message
            time.sleep(0.2)
        raise AssertionError(
            f"no email to {to} arrived within {timeout}s; got {[m['To'] for m in self.messages]}"
        )

    @staticmethod
    def text(message) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content()


@pytest.fixture(scope="session")
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    with local_smtp(box) as port:
        yield box, port


@dataclass
class Server:
    url: str
    env: dict[str, str]
    data_dir: Path
    mailbox: Mailbox

    def cli(
        self, *args: str, check: bool = True, input: str | None = None
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*LEARNLOOP, *args],
            env=self.env,
            check=check,
            capture_output=True,
            text=True,
            input=input,
            timeout=120,
        )


@pytest.fixture(scope="session")
def migrated_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir migrated once per session; each test serves a fresh copy of it."""
    path = tmp_path_factory.mktemp("template") / "data"
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["LEARNLOOP_DATA_DIR"] = str(path)
    subprocess.run([*LEARNLOOP, "migrate", "-v0"], env=env, check=True, timeout=300)
    return path


@pytest.fixture
def server_env() -> dict[str, str]:
    """More environment for the served install; a journey overrides this fixture (the single
    sign-on journey points it at its OpenID provider)."""
    return {}


@pytest.fixture
def server(
    tmp_path: Path,
    mailbox: tuple[Mailbox, int],
    migrated_data_dir: Path,
    server_env: dict[str, str],
) -> Iterator[Server]:
    box, smtp_port = mailbox
    box.messages.clear()
    port = free_port()
    shutil.copytree(migrated_data_dir, tmp_path / "data")
    env = {
        **os.environ,
        "LEARNLOOP_DATA_DIR": str(tmp_path / "data"),
        "LEARNLOOP_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "LEARNLOOP_WORKER_POLL_SECONDS": "1",
        "LEARNLOOP_WEB_WORKERS": "2",
        "LEARNLOOP_BASE_URL": f"http://127.0.0.1:{port}",
        **server_env,
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log_path = tmp_path / "serve.log"
    log = log_path.open("w")
    # Output goes to a file, never a pipe nobody reads (a full pipe would block the server).
    proc = subprocess.Popen(
        [*LEARNLOOP, "serve", "--port", str(port), "--no-migrate"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"learnloop serve did not start:\n{log_path.read_text()}")
        time.sleep(0.3)
    yield Server(url=url, env=env, data_dir=tmp_path / "data", mailbox=box)
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("LEARNLOOP_REQUIRE_E2E"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(
            f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """``new_page(viewport=...)`` opens a page in a fresh browser context (fresh cookies)."""
    contexts = []

    def make(**options: object):
        context = browser.new_context(**options)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in_page(page, url: str, email: str, password: str) -> None:
    """Sign in on the login page of the server at ``url`` and wait until the page has left it."""
    from playwright.sync_api import expect

    page.goto(url + "/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda address: "/login/" not in address)
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)


DEMO_PASSWORD = "demo-password-for-e2e"
DEMO_IDS = """
import json
from learnloop.incidents.models import Incident
from learnloop.reviews.models import Review
from learnloop.lessons.models import Lesson
def review(title):
    return Review.objects.get(incident__title__startswith=title).pk
print(json.dumps({
    "incident": Incident.objects.get(title__startswith="Checkout timed out").pk,
    "anonymous": Incident.objects.get(is_anonymous=True).pk,
    "review": review("Checkout timed out"),
    "review_with_hints": review("Wedding cake order"),
    "review_cooling_off": review("Drivers' tablets"),
    "lesson": Lesson.objects.get(statement__startswith="A retry without a budget").pk,
}))
"""


@dataclass
class Demo:
    server: Server
    ids: dict[str, int]

    def sign_in(self, page, email: str = "amara@demo.learnloop.test") -> None:
        sign_in_page(page, self.server.url, email, DEMO_PASSWORD)


@pytest.fixture
def demo(server: Server) -> Demo:
    """A served install with ``learnloop seed-demo`` loaded, and the ids of its key pages."""
    import json

    server.cli("seed-demo", "--password", DEMO_PASSWORD)
    ids = json.loads(server.cli("shell", "-c", DEMO_IDS).stdout.strip().splitlines()[-1])
    return Demo(server=server, ids=ids)


@pytest.fixture
def organisation(server: Server) -> Callable[..., None]:
    """``organisation(name=..., team=..., people=[(email, display name, role), ...],
    org_admins=[email, ...])`` seeds the served database (through ``learnloop shell`` and
    ``learnloop.testing.builders``) with an organisation, one team and its people, who sign in
    with ``PASSWORD``. The defaults are Riverside's Night Shift with Noor Haddad (team admin)
    and Sam Ito (member), no organisation admin."""

    def seed(
        *,
        name: str = "Riverside",
        team: str = "Night Shift",
        people: Sequence[tuple[str, str, str]] = NOOR_AND_SAM,
        org_admins: Sequence[str] = (),
    ) -> None:
        spec = {
            "organisation": name,
            "team": team,
            "people": people,
            "org_admins": list(org_admins),
            "password": PASSWORD,
        }
        server.cli("shell", "-c", SEED_ORGANISATION.format(spec=json.dumps(spec)))

    return seed


@pytest.fixture
def sign_in(server: Server) -> Callable[..., None]:
    """``sign_in(page, email)`` signs in through the login page with ``PASSWORD`` and waits
    until the page has left it."""

    def go(page, email: str, password: str = PASSWORD) -> None:
        sign_in_page(page, server.url, email, password)

    return go
