from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from learnloop.tasks.worker import Worker, run_due_jobs


class Command(BaseCommand):
    help = "Run the background worker (several may run at once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--burst", action="store_true", help="Run the jobs due now, then exit.")

    def handle(self, *args: Any, burst: bool = False, **options: Any) -> None:
        if burst:
            ran = run_due_jobs()
            self.stdout.write(f"ran {ran} job(s)")
            return
        worker = Worker()
        worker.install_signal_handlers()
        worker.run()
