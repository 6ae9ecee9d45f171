"""Thin views over learnloop.search.selectors: the search page and the related-suggestions partial."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import teams_visible_to
from learnloop.core.accesslog import not_in_access_log
from learnloop.core.validation import id_or_none, parse_page
from learnloop.journal.selectors import entry_search
from learnloop.search import selectors
from learnloop.search.sync import KIND_LABELS, KINDS

JOURNAL_HITS = 5


@login_required
@require_GET
def search_page(request: AuthedHttpRequest) -> HttpResponse:
    """/search/?q=...&kind=lesson&kind=review&team=3&page=2"""
    q = request.GET.get("q", "")[:10000]
    kinds = [k for k in request.GET.getlist("kind") if k in KINDS]
    teams = list(_teams_for_filter(request.user))
    team = id_or_none(request.GET.get("team"))
    if team is not None and team not in {t.pk for t in teams}:
        team = None
    page = parse_page(request.GET.get("page"))
    result = None
    journal: list[object] = []
    if q.strip():
        result = selectors.search(request.user, q, {"kinds": kinds, "team": team}, page)
        if page == 1 and not kinds and team is None:
            # The searcher's own journal entries, read through the journal's own author-only
            # rule; they are never in the shared index (decisions/0170, 0167).
            journal = list(entry_search(user=request.user, q=q, limit=JOURNAL_HITS))
    context = {
        "q": q,
        "kinds": kinds,
        "kind_choices": [(k, KIND_LABELS[k]) for k in KINDS],
        "teams": teams,
        "team": team,
        "result": result,
        "journal": journal,
    }
    return render(request, "search/search.html", context)


def _teams_for_filter(user: User) -> QuerySet[Team]:
    """Teams whose documents the user can see some of: the whole organisation."""
    if user.organisation_id is None:
        return teams_visible_to(user)
    return Team.objects.filter(organisation_id=user.organisation_id).order_by("name")


@login_required
@require_POST
@not_in_access_log
def related_partial(request: AuthedHttpRequest) -> HttpResponse:
    """HTMX partial: related suggestions for the title/description being typed.

    A POST (with the CSRF token), so the text someone is typing — perhaps an anonymous
    report — never appears in a URL, a proxy's log or the access log (decision 0010).
    ``exclude_kind``/``exclude_id`` leave out the page's own object (incident or review page).
    """
    title = request.POST.get("title", "")[:10000]
    description = request.POST.get("description", "")[:10000]
    exclude = []
    ek, eid = (
        request.POST.get("exclude_kind"),
        id_or_none(request.POST.get("exclude_id"), signed=True),
    )
    if ek in KINDS and eid is not None:
        exclude.append((ek, eid))
    results = []
    if (title + description).strip():
        results = selectors.related(request.user, title, description, exclude)
    return render(
        request,
        "search/_related_results.html",
        {"results": results, "asked": bool((title + description).strip())},
    )
