from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from learnloop.api.router import api
from learnloop.devtools import bench
from learnloop.web.views import favicon, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("learnloop.accounts.urls")),
    path("", include("learnloop.reviews.urls_team_settings")),
    path("incidents/", include("learnloop.incidents.urls")),
    path("reviews/", include("learnloop.reviews.urls")),
    path("actions/", include("learnloop.actions.urls")),
    path("notifications/", include("learnloop.notifications.urls")),
    path("lessons/", include("learnloop.lessons.urls")),
    path("search/", include("learnloop.search.urls")),
    path("coach/", include("learnloop.coach.urls")),
    path("surveys/", include("learnloop.surveys.urls")),
    path("deliverables/", include("learnloop.debriefs.urls")),
    path("applause/", include("learnloop.applause.urls")),
    path("webhooks/", include("learnloop.webhooks.urls")),
    path("chat/", include("learnloop.chat.urls")),
    path("retros/", include("learnloop.retros.urls")),
    path("calendar/", include("learnloop.calendars.urls")),
    path("", include("learnloop.transfer.urls")),
    path("journal/", include("learnloop.journal.urls")),
    path("drills/", include("learnloop.drills.urls")),
    path("experiments/", include("learnloop.experiments.urls")),
    path("transcripts/", include("learnloop.transcripts.urls")),
    path("metrics/", include("learnloop.metrics.urls")),
    path("", include("learnloop.web.urls")),
]
if settings.BENCHMARK_VIEWS:  # benchmarks/loadtest.py only; see learnloop/devtools/bench.py
    urlpatterns.insert(0, path("bench/bare", bench.bare, name="bench-bare"))
