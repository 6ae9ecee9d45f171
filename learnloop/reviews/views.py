"""Thin web views over reviews.services; every lookup goes through reviews.selectors.

Readers are everyone who can see a review (the visibility rule); writers are members of the
review's team. For anyone else the write pages do not exist (404, never 403).
"""

from __future__ import annotations

import difflib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Membership, Team
from learnloop.accounts.visibility import get_visible_or_404, team_ids_of
from learnloop.actions.models import Action
from learnloop.core.errors import ApplicationError
from learnloop.core.forms import conflict_context
from learnloop.core.markdown import render_markdown
from learnloop.core.pagination import CappedPaginator
from learnloop.core.validation import id_or_none
from learnloop.core.versioning import StaleVersion
from learnloop.incidents.models import Incident
from learnloop.reviews import selectors, services, template_services
from learnloop.reviews.editor import as_text, content_from_post, editor_sections
from learnloop.reviews.models import (
    SECTION_TYPE_LABELS,
    ContributingFactor,
    Review,
    ReviewTemplate,
    Status,
)

PAGE_SIZE = 25


def _members(team_id: int) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(team_id=team_id)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    ]


def _action_kinds() -> list[tuple[str, str]]:
    return list(Action.Kind.choices)


@login_required
def review_list(request: AuthedHttpRequest) -> HttpResponse:
    params = {k: request.GET.get(k, "") for k in ("team", "status", "template")}
    qs = selectors.review_list(user=request.user, **params)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in params.items() if v)
    return render(
        request,
        "reviews/review_list.html",
        {
            "page": page,
            "params": params,
            "query": query,
            "teams": Team.objects.filter(pk__in=team_ids_of(request.user)),
            "statuses": Status.choices,
            "templates": selectors.templates_visible_to(request.user),
        },
    )


@login_required
def review_create(request: AuthedHttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    incident = None
    if source.get("incident"):
        incident = get_visible_or_404(Incident, request.user, pk=source.get("incident"))
        if incident.team_id not in team_ids_of(request.user):
            raise Http404
    teams = Team.objects.filter(pk__in=team_ids_of(request.user))
    templates = selectors.templates_visible_to(request.user)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        template = templates.filter(pk=id_or_none(request.POST.get("template"))).first()
        team = (
            incident.team
            if incident
            else teams.filter(pk=id_or_none(request.POST.get("team"))).first()
        )
        if template is None:
            errors["template"] = ["Choose a template."]
        if team is None:
            errors["team"] = ["Choose one of your teams."]
        if not errors:
            try:
                review = services.review_create(
                    actor=request.user,
                    template=template,
                    team=team,
                    incident=incident,
                    title=request.POST.get("title", ""),
                )
            except ApplicationError as exc:
                errors = dict(exc.fields or {"form": [exc.message]})
                if "__all__" in errors:
                    errors["form"] = errors.pop("__all__")
            else:
                messages.success(request, f"Review started from “{template.name}”.")
                return redirect("reviews:edit", pk=review.pk)
    return render(
        request,
        "reviews/review_create.html",
        {
            "incident": incident,
            "teams": teams,
            **selectors.template_picker(
                templates,
                teams=teams,
                incident=incident,
                team_id=source.get("team", ""),
                template_id=source.get("template", ""),
            ),
            "errors": errors,
            "data": source,
        },
        status=400 if errors else 200,
    )


def _detail_context(request: AuthedHttpRequest, review: Review) -> dict[str, Any]:
    writer = selectors.can_write(request.user, review)
    owners = {u.pk: u for u in _members(review.team_id)}
    action_ids = [
        s.get("action_id")
        for sec in review.sections
        if sec["type"] == "next_steps"
        for s in (review.content or {}).get(sec["key"]) or []
        if s.get("action_id")
    ]
    actions = {a.pk: a for a in Action.objects.visible_to(request.user).filter(pk__in=action_ids)}
    cooling = bool(review.opens_at and timezone.now() < review.opens_at)
    return {
        "review": review,
        "writer": writer,
        "cooling": cooling,
        "sections": review.sections,
        "content": review.content or {},
        "factor_labels": dict(ContributingFactor.Category.choices),
        "owners": owners,
        "actions": actions,
        "members": list(owners.values()) if writer else [],
        "participant_ids": set(review.participants.values_list("pk", flat=True)),
        "participants": review.participants.all(),
        "missing": selectors.publish_missing(review),
        "advice": selectors.publish_advice(review) if writer and not review.published_at else [],
        "notes": selectors.private_notes_of(user=request.user, review=review).first()
        if writer
        else None,
    }


@login_required
def review_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get_visible(user=request.user, pk=pk)
    return render(request, "reviews/review_detail.html", _detail_context(request, review))


def _editor_response(
    request: AuthedHttpRequest,
    review: Review,
    content: dict[str, Any],
    *,
    title: str,
    version: int,
    errors: dict[str, list[str]] | None = None,
    conflict: Review | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "review": review,
        "title_value": title,
        "version": version,
        "sections": editor_sections(
            review, content, errors, theirs=(conflict.content or {}) if conflict else None
        ),
        "errors": errors or {},
        "conflict": conflict,
        "message": message,
        "members": _members(review.team_id),
        "factor_categories": ContributingFactor.Category.choices,
        "action_kinds": _action_kinds(),
        "tz": timezone.get_current_timezone_name(),
    }
    return render(request, "reviews/review_edit.html", context, status=status)


@login_required
def review_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get_writable(user=request.user, pk=pk)
    if review.opens_at and timezone.now() < review.opens_at:
        return redirect("reviews:detail", pk=review.pk)
    return _editor_response(
        request, review, review.content or {}, title=review.title, version=review.version
    )


@login_required
@require_POST
def review_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Save the editor. ``X-Autosave: 1`` answers JSON; a normal submit answers a page."""
    review = selectors.review_get_writable(user=request.user, pk=pk)
    autosave = request.headers.get("X-Autosave") == "1"
    content = content_from_post(review, request.POST)
    title = request.POST.get("title", review.title)
    try:
        services.review_content_save(
            actor=request.user,
            review=review,
            version=request.POST.get("version"),
            content=content,
            title=title,
        )
    except services.ReviewConflict as exc:
        if autosave:
            return JsonResponse(
                {**exc.as_dict(), "current_version": exc.current_version}, status=409
            )
        current = exc.review
        return _editor_response(
            request,
            current,
            content,
            title=title,
            version=current.version,
            conflict=current,
            message=exc.message,
            status=409,
        )
    except ApplicationError as exc:
        if autosave:
            return JsonResponse(exc.as_dict(), status=exc.status)
        return _editor_response(
            request,
            review,
            content,
            title=title,
            version=id_or_none(request.POST.get("version")) or review.version,
            errors=exc.fields,
            message=exc.message,
            status=400,
        )
    if autosave:
        return JsonResponse(
            {
                "version": review.version,
                "saved_at": timezone.localtime(review.updated_at).strftime("%H:%M:%S"),
            }
        )
    messages.success(request, f"Saved (version {review.version}).")
    if request.POST.get("then") == "view":
        return redirect("reviews:detail", pk=review.pk)
    return redirect("reviews:edit", pk=review.pk)


@login_required
@require_POST
def review_preview(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Markdown preview of one rich-text field, rendered by the one sanitising renderer."""
    review = selectors.review_get_writable(user=request.user, pk=pk)
    field = request.POST.get("field", "")
    text = request.POST.get(field, "") if field.startswith("c-") else ""
    html = render_markdown(text[:20000]) or "<p class='empty'>Nothing to preview yet.</p>"
    del review
    return HttpResponse(html)


@login_required
@require_POST
def review_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get_writable(user=request.user, pk=pk)
    status = request.POST.get("status", "")
    try:
        services.review_set_status(actor=request.user, review=review, status=status)
    except ApplicationError as exc:
        context = _detail_context(request, review)
        context["status_error"] = exc.message
        context["status_errors"] = [m for ms in exc.fields.values() for m in ms]
        return render(request, "reviews/review_detail.html", context, status=exc.status)
    messages.success(request, f"The review is now {review.get_status_display().lower()}.")
    if review.status == "published":
        unowned = review.actions.filter(status="open").filter(
            Q(owner__isnull=True) | Q(due_date__isnull=True)
        )
        titles = [f"“{a.title}”" for a in unowned.order_by("pk")[:5]]
        if titles:
            messages.warning(
                request,
                f"{len(titles)} of its actions still need{'s' if len(titles) == 1 else ''} an "
                f"owner or a due date: {', '.join(titles)}. Set them on each action's page.",
            )
    return redirect("reviews:detail", pk=review.pk)


@login_required
@require_POST
def review_participants(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get_writable(user=request.user, pk=pk)
    try:
        services.review_set_participants(
            actor=request.user, review=review, user_ids=request.POST.getlist("participants")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Participants updated.")
    return redirect("reviews:detail", pk=review.pk)


@login_required
@require_POST
def private_note(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get_writable(user=request.user, pk=pk)
    try:
        services.private_note_save(
            actor=request.user, review=review, body=request.POST.get("body", "")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Your private notes are saved. Only you can see them.")
    return redirect("reviews:detail", pk=review.pk)


@login_required
def review_history(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get_visible(user=request.user, pk=pk)
    page = CappedPaginator(selectors.revisions_of(review), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "reviews/review_history.html", {"review": review, "page": page})


@login_required
def review_revision(request: AuthedHttpRequest, pk: int, version: int) -> HttpResponse:
    review = selectors.review_get_visible(user=request.user, pk=pk)
    revision = selectors.revisions_of(review).filter(version=version).first()
    if revision is None:
        raise Http404
    previous = selectors.revisions_of(review).filter(version__lt=version).first()
    before = as_text(review, previous.content, previous.title).splitlines() if previous else []
    after = as_text(review, revision.content, revision.title).splitlines()
    diff = []
    for line in difflib.unified_diff(before, after, lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        diff.append((kind, line))
    return render(
        request,
        "reviews/review_revision.html",
        {"review": review, "revision": revision, "previous": previous, "diff": diff},
    )


# --- templates -------------------------------------------------------------------------------


@login_required
def template_list(request: AuthedHttpRequest) -> HttpResponse:
    templates = selectors.templates_visible_to(request.user)
    teams = Team.objects.filter(pk__in=team_ids_of(request.user))
    return render(request, "reviews/template_list.html", {"templates": templates, "teams": teams})


@login_required
@require_POST
def template_copy(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get_visible(user=request.user, pk=pk)
    team = Team.objects.filter(
        pk__in=team_ids_of(request.user), pk=id_or_none(request.POST.get("team"))
    ).first()
    if team is None:
        messages.error(request, "Choose one of your teams to copy the template to.")
        return redirect("reviews:template-list")
    try:
        copy = template_services.template_copy(actor=request.user, template=template, team=team)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("reviews:template-list")
    messages.success(request, f"Copied to {team.name}. Edit it to suit the team.")
    return redirect("reviews:template-edit", pk=copy.pk)


def _template_rows_from_post(data: Any) -> tuple[list[dict[str, Any]], list[int]]:
    """Rows as posted (blank ones dropped, removed ones dropped), ordered by position."""
    fields = ["position", "key", "title", "type", "prompt", "min_count"]
    columns = {f: data.getlist(f"s-{f}") for f in fields}
    removed = set(data.getlist("s-remove"))
    length = max((len(v) for v in columns.values()), default=0)
    rows = []
    for i in range(length):
        row = {f: (columns[f][i] if i < len(columns[f]) else "").strip() for f in fields}
        if str(i) in removed or not (row["key"] or row["title"] or row["prompt"]):
            continue
        try:
            order = float(row["position"] or i + 1)
        except ValueError:
            order = i + 1
        rows.append((order, len(rows), row))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows], []


def _template_conflict(exc: StaleVersion, current: ReviewTemplate) -> dict[str, Any]:
    """The conflict view's context for a stale template save: the template as saved now."""
    labels = {
        "name": "Name",
        "description": "Description",
        "cooling_off_hours": "Cooling-off period (hours)",
        "sections": "Sections",
    }
    sections = "\n".join(f"{n}. {s.get('title', '')}" for n, s in enumerate(current.sections, 1))
    saved = {
        "name": current.name,
        "description": current.description or "–",
        "cooling_off_hours": str(current.cooling_off_hours),
        "sections": sections or "–",
    }
    return conflict_context(
        exc,
        rows=[(labels[name], saved[name]) for name in labels],
        labels=labels,
        noun="template",
        keep_url=reverse("reviews:template-edit", args=[current.pk]),
    )


@login_required
def template_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get_editable(user=request.user, pk=pk)
    errors: dict[str, list[str]] = {}
    conflict = None
    if request.method == "POST":
        rows, _ = _template_rows_from_post(request.POST)
        data = {
            "name": request.POST.get("name", ""),
            "description": request.POST.get("description", ""),
            "cooling_off_hours": request.POST.get("cooling_off_hours", ""),
            "version": request.POST.get("version", ""),
        }
        try:
            template_services.template_update(
                actor=request.user,
                template=template,
                sections=[{k: v for k, v in r.items() if k != "position"} for r in rows],
                **data,
            )
        except StaleVersion as exc:
            current = selectors.template_get_editable(user=request.user, pk=pk)
            conflict = _template_conflict(exc, current)
            data["version"] = exc.current_version
        except ApplicationError as exc:
            errors = exc.fields
        else:
            messages.success(
                request, "Template saved. New reviews use it; existing ones keep theirs."
            )
            return redirect("reviews:template-edit", pk=template.pk)
    else:
        rows = [dict(s) for s in template.sections]
        data = {
            "name": template.name,
            "description": template.description,
            "cooling_off_hours": template.cooling_off_hours,
            "version": template.version,
        }
    shown = []
    for i, row in enumerate(rows):
        shown.append(
            {
                **row,
                "position": i + 1,
                "index": i,
                "known_type": row.get("type") in SECTION_TYPE_LABELS,
                "errors": {
                    f: errors.get(f"sections.{i}.{f}", [])
                    for f in ("key", "title", "type", "prompt", "min_count")
                },
                "row_errors": errors.get(f"sections.{i}", []),
            }
        )
    for j in range(2):
        shown.append(
            {"position": len(rows) + j + 1, "index": len(rows) + j, "errors": {}, "blank": True}
        )
    return render(
        request,
        "reviews/template_edit.html",
        {
            "template": template,
            "data": data,
            "rows": shown,
            "errors": errors,
            "types": SECTION_TYPE_LABELS.items(),
            "conflict": conflict,
        },
        status=409 if conflict else 400 if errors else 200,
    )
