"""The bare benchmark view: the framework's own ceiling for the load test.

Enabled only when ``LEARNLOOP_BENCHMARK_VIEWS`` is true (never in production): it answers
without signing in. It reads one row through the ORM and returns a few bytes, going through
the same middleware, server and database as every page, so page throughput can be reported
as a fraction of it (benchmarks/loadtest.py, docs/benchmarks.md).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from learnloop.accounts.models import Organisation


@require_GET
def bare(request: HttpRequest) -> HttpResponse:
    pk = Organisation.objects.order_by("pk").values_list("pk", flat=True).first()
    return HttpResponse(f"ok {pk}\n", content_type="text/plain")
