"""``learnloop serve``: migrate, collect static files, then run gunicorn and the worker.

A small supervisor keeps both children: if either exits, the other is stopped and serve exits
with an error; SIGTERM or SIGINT stops both cleanly.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from learnloop.core.accesslog import ACCESS_LOG_FORMAT
from learnloop.core.env import ConfigError, env_bool, listen_url
from learnloop.core.gunicorn_options import (
    WORKER_CLASSES,
    default_workers,
    worker_options,
)
from learnloop.core.jobs import analyze_sqlite


def port_problem(host: str, port: int) -> str | None:
    """Return why (host, port) cannot be served, or None when it is free."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host.strip("[]"), port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is already in use; stop the other server or choose another with --port"
            if exc.errno == errno.EACCES:
                return (
                    f"port {port} on {host} needs privileges; choose a port above 1023 with --port"
                )
            return f"cannot listen on {host}:{port}: {exc.strerror}"
    return None


class Command(BaseCommand):
    help = "Serve Learnloop with a production server (gunicorn) and run the background worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("LEARNLOOP_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("LEARNLOOP_PORT", "8000") or 8000)
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("LEARNLOOP_WEB_WORKERS", "0") or 0),
            help="web processes (default: 2 per CPU core, one more with sync workers, at most 8)",
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("LEARNLOOP_WEB_THREADS", "4") or 4)
        )
        parser.add_argument(
            "--worker-class",
            default=os.environ.get("LEARNLOOP_WEB_WORKER_CLASS", "gthread") or "gthread",
            help="gthread (threads per process, kept-alive connections; the default) or sync "
            "(one request per process at a time; decision 0176)",
        )
        parser.add_argument(
            "--reuse-port",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="each gunicorn process listens on its own socket (SO_REUSEPORT) and the kernel "
            "spreads new connections over them (default off, or LEARNLOOP_WEB_REUSE_PORT; "
            "decision 0184)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not run the background worker here (run `learnloop worker` elsewhere)",
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="skip applying database migrations at start"
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int,
        threads: int,
        worker_class: str,
        reuse_port: bool | None,
        no_worker: bool,
        no_migrate: bool,
        **options: Any,
    ) -> None:
        if not 0 < port < 65536:
            raise CommandError(f"--port {port} is not a valid port; expected 1-65535")
        if worker_class not in WORKER_CLASSES:
            raise CommandError(
                f"--worker-class / LEARNLOOP_WEB_WORKER_CLASS {worker_class!r} is not valid; "
                f"expected {' or '.join(WORKER_CLASSES)}"
            )
        if reuse_port is None:
            try:
                reuse_port = env_bool("LEARNLOOP_WEB_REUSE_PORT", False)
            except ConfigError as exc:
                raise CommandError(str(exc)) from None
        problem = port_problem(host, port)
        if problem:
            raise CommandError(problem)
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
            analyze_sqlite()  # a migration that rebuilds a table drops SQLite's statistics
        call_command("collectstatic", interactive=False, verbosity=0)
        workers = workers or default_workers(worker_class, os.cpu_count() or 1)
        db = settings.DATABASES["default"]
        where = (
            db["NAME"]
            if db["ENGINE"].endswith("sqlite3")
            else f"{db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST')}/{db['NAME']}"
        )
        # The children (gunicorn's workers, the background worker) build the links in emails
        # from this when LEARNLOOP_BASE_URL is unset (core.urls_util.absolute_url).
        os.environ["LEARNLOOP_SERVE_URL"] = listen_url(host, port)
        links = settings.BASE_URL or os.environ["LEARNLOOP_SERVE_URL"]
        self.stdout.write(
            f"Learnloop on http://{host}:{port}  (database: {where}; data: {settings.DATA_DIR})\n"
            f"Links in emails point to {links}"
            + (
                ""
                if settings.BASE_URL
                else "; set LEARNLOOP_BASE_URL if people use another address"
            )
        )
        self.stdout.flush()
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "learnloop.wsgi:application",
            # Load and warm the application once in the master, before it listens and forks
            # the workers: the first request on every worker is answered warm (decision 0131).
            "--preload",
            # Hooks only (post_fork: what each worker loads after the fork; decision 0077).
            "--config",
            "python:learnloop.core.gunicorn_hooks",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            *worker_options(worker_class, threads, reuse_port),
            "--timeout",
            "60",
            "--graceful-timeout",
            "20",
            "--log-level",
            "warning",
            "--forwarded-allow-ips",
            os.environ.get("LEARNLOOP_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        if os.environ.get("LEARNLOOP_ACCESS_LOG", "").lower() in {"1", "true", "yes", "on"}:
            # Never the client address nor a query string, and nothing that dates an anonymous
            # report (learnloop/core/accesslog.py, decision 0010).
            gunicorn += [
                "--access-logfile",
                "-",
                "--access-logformat",
                ACCESS_LOG_FORMAT,
                "--logger-class",
                "learnloop.core.accesslog.AccessLogger",
            ]
        children = [subprocess.Popen(gunicorn)]
        if not no_worker:
            children.append(subprocess.Popen([sys.executable, "-m", "learnloop.cli", "worker"]))
        self._supervise(children)

    def _supervise(self, children: list[subprocess.Popen]) -> None:
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        exited = None
        while not stopping and exited is None:
            for child in children:
                if child.poll() is not None:
                    exited = child
            time.sleep(0.2)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 25
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        if exited is not None and not stopping:
            raise CommandError(
                f"a server process exited unexpectedly (code {exited.returncode}); see the messages above"
            )
