"""Start the test OpenID provider as a subprocess (shared by the SSO tests and the browser
journey): its own SQLite database, an RSA key generated now, people and one registered
confidential client."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "learnloop-test-client"
CLIENT_SECRET = "a-client-secret-for-the-test-provider-only"
PASSWORD = "provider-password-1"
#: People at the provider: (username, email, name, email verified).
PEOPLE = [
    ("bob", "bob@example.org", "Bob Builder", True),
    ("newcomer", "newcomer@example.org", "Nia Newcomer", True),
    ("stranger", "stranger@elsewhere.test", "Sam Stranger", True),
    ("mallory", "mallory@example.net", "Mallory Other", True),
    ("unverified", "alice@example.org", "Not Alice", False),
    ("noor", "noor@clinic.test", "Noor Haddad", True),
]

SETUP = """
from django.contrib.auth.models import Group, User
from oauth2_provider.models import Application
unverified = Group.objects.create(name="email-unverified")
for username, email, name, verified in {people!r}:
    first, last = name.split(" ", 1)
    user = User.objects.create_user(username, email, {password!r}, first_name=first, last_name=last)
    if not verified:
        user.groups.add(unverified)
Application.objects.create(
    name="Learnloop", client_id={client_id!r}, client_secret={secret!r},
    client_type=Application.CLIENT_CONFIDENTIAL,
    authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    redirect_uris={redirects!r}, post_logout_redirect_uris={logout_redirects!r},
    algorithm=Application.RS256_ALGORITHM, skip_authorization=True,
)
"""


@dataclass
class Provider:
    url: str
    issuer: str
    env: dict[str, str]

    def allow(self, origin: str) -> None:
        """Register Learnloop at ``origin`` too (its callback and post-logout addresses)."""
        script = ALLOW.format(client_id=CLIENT_ID, origin=origin)
        subprocess.run(
            [sys.executable, "-m", "django", "shell", "-c", script],
            env=self.env,
            check=True,
            timeout=120,
        )


ALLOW = """
from oauth2_provider.models import Application
app = Application.objects.get(client_id={client_id!r})
app.redirect_uris += " {origin}/sso/callback/"
app.post_logout_redirect_uris += " {origin}/login/"
app.save()
"""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_provider(folder: Path, learnloop_origins: list[str]) -> Iterator[Provider]:
    """The provider, with Learnloop at each of ``learnloop_origins`` as a registered client."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "learnloop.accounts.tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(folder / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": pem,
    }
    django = [sys.executable, "-m", "django"]
    subprocess.run([*django, "migrate", "-v0"], env=env, check=True, timeout=300)
    script = SETUP.format(
        people=PEOPLE,
        password=PASSWORD,
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        redirects=" ".join(f"{o}/sso/callback/" for o in learnloop_origins),
        logout_redirects=" ".join(f"{o}/login/" for o in learnloop_origins),
    )
    subprocess.run([*django, "shell", "-c", script], env=env, check=True, timeout=120)
    port = _free_port()
    log_path = folder / "provider.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [*django, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        try:
            while True:
                try:
                    if requests.get(url + "/o/.well-known/openid-configuration", timeout=2).ok:
                        break
                except requests.RequestException:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(log_path.read_text())
                time.sleep(0.2)
            yield Provider(url=url, issuer=url + "/o", env=env)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
