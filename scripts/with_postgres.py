"""Run a command with DATABASE_URL pointing at a PostgreSQL server.

Uses LEARNLOOP_TEST_DATABASE_URL when set, else postgresql://postgres@127.0.0.1:5432/learnloop
(the trust-auth server of a development machine). When no server answers, it says so and
exits 0 — unless LEARNLOOP_REQUIRE_POSTGRES=1 (set by .ci/run), when it fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from urllib.parse import urlsplit

DEFAULT = "postgresql://postgres@127.0.0.1:5432/learnloop"


def main() -> int:
    url = os.environ.get("LEARNLOOP_TEST_DATABASE_URL") or DEFAULT
    parts = urlsplit(url)
    try:
        socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or 5432), timeout=3
        ).close()
    except OSError:
        message = f"no PostgreSQL server answers at {parts.hostname}:{parts.port or 5432}"
        if os.environ.get("LEARNLOOP_REQUIRE_POSTGRES"):
            print(
                f"with_postgres: {message} (required by LEARNLOOP_REQUIRE_POSTGRES)",
                file=sys.stderr,
            )
            return 1
        print(
            f"with_postgres: {message}; skipping the PostgreSQL run (set LEARNLOOP_TEST_DATABASE_URL)"
        )
        return 0
    print(
        f"with_postgres: running against {parts.scheme}://{parts.hostname}:{parts.port or 5432}{parts.path}"
    )
    return subprocess.call(sys.argv[1:], env={**os.environ, "DATABASE_URL": url})


if __name__ == "__main__":
    raise SystemExit(main())
