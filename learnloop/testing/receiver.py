"""A real HTTP receiver for tests of outgoing traffic (webhooks, chat response URLs): a
``http.server`` in a thread on a free local port that records every request and answers as
the test tells it (a status, a redirect, or a wait longer than the sender's timeout)."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    # What to answer next: a status code, or ("redirect", location), or ("sleep", seconds).
    answers: list[object] = field(default_factory=list)
    default_status: int = 200

    def wait_for_count(self, count: int, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.02)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            receiver.requests.append(
                Received("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            answer = receiver.answers.pop(0) if receiver.answers else receiver.default_status
            if isinstance(answer, tuple) and answer[0] == "sleep":
                time.sleep(float(answer[1]))
                answer = 200
            if isinstance(answer, tuple) and answer[0] == "redirect":
                self.send_response(302)
                self.send_header("Location", str(answer[1]))
            else:
                self.send_response(int(answer))  # type: ignore[call-overload]
            self.send_header("Content-Length", "2")
            self.end_headers()
            with contextlib.suppress(OSError):  # the sender may have given up waiting
                self.wfile.write(b"ok")

    return Handler


class running_receiver:
    """``with running_receiver() as receiver:`` serves on 127.0.0.1 until the block ends."""

    def __enter__(self) -> Receiver:
        self.receiver = Receiver()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.receiver))
        self.server.daemon_threads = True
        host, port = self.server.server_address[:2]
        self.receiver.url = f"http://127.0.0.1:{port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self.receiver

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
