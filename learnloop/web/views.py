from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from learnloop.accounts.services import first_run_needed
from learnloop.accounts.visibility import teams_visible_to
from learnloop.web import home_panels


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        if first_run_needed():
            return redirect("accounts:setup")
        return render(request, "web/welcome.html")
    teams = list(teams_visible_to(request.user).filter(memberships__user=request.user).distinct())
    context = {"teams": teams, "panels": home_panels.render_all(request)}
    return render(request, "web/home.html", context)


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for on their own: a redirect to the SVG icon the
    pages link to. Temporary (302, cached a day): the target's hashed name changes with it."""
    response = HttpResponseRedirect(static("learnloop/favicon.svg"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and readiness: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
