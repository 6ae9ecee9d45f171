"""Thin views over journal.services and journal.selectors. Every entry lookup is the author's
own (``selectors.entry_get``): anyone else, admins included, gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.core.accesslog import not_in_access_log
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.core.forms import apply_error, versioned_edit
from learnloop.journal import links, selectors, services, sharing
from learnloop.journal.forms import WEEKDAYS, EntryForm, FrameworkForm, ReminderForm, ShareForm
from learnloop.journal.frameworks import DEFAULT_KEY
from learnloop.journal.models import Entry

PAGE_SIZE = 25


@login_required
@never_cache
def entry_list(request: AuthedHttpRequest) -> HttpResponse:
    """Rendered on every request (never kept: decision 0076), so it reads only what it shows:
    list rows as dicts, one page without a count, the framework menu without prompts
    (decision 0079)."""
    q = (request.GET.get("q") or "").strip()[:200]
    page = None
    if q:
        entries = selectors.entry_search_rows(user=request.user, q=q, limit=PAGE_SIZE)
    else:
        page = selectors.entry_page(
            user=request.user, number=request.GET.get("page"), size=PAGE_SIZE
        )
        entries = page.rows
    weekday = selectors.reminder_weekday(request.user)
    return render(
        request,
        "journal/list.html",
        {
            "entries": entries,
            "page": page,
            "q": q,
            "frameworks": selectors.framework_menu(request.user),
            "reminder_day": dict(WEEKDAYS).get(str(weekday)) if weekday is not None else None,
        },
    )


@login_required
@never_cache
def entry_new(request: AuthedHttpRequest) -> HttpResponse:
    key = request.POST.get("framework") or request.GET.get("framework") or DEFAULT_KEY
    framework = selectors.framework_by_key(request.user, key) or selectors.framework_by_key(
        request.user, DEFAULT_KEY
    )
    assert framework is not None
    form = EntryForm(
        request.POST or None,
        prompts=framework["prompts"],
        link_choices=selectors.link_choices(request.user),
        initial={"link": request.GET.get("link", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(
                actor=request.user,
                framework_key=framework["key"],
                answers=form.answers(),
                title=form.cleaned_data["title"],
                tags=form.cleaned_data["tags"],
                link=form.cleaned_data["link"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Saved in your journal. Only you can see it.")
            return redirect("journal:detail", pk=entry.pk)
    return render(
        request,
        "journal/form.html",
        {
            "form": form,
            "framework": framework,
            "frameworks": selectors.frameworks_for(request.user),
            "entry": None,
        },
    )


@login_required
@never_cache
def entry_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(user=request.user, pk=pk)
    linked = selectors.linked_object(request.user, entry)
    return render(
        request,
        "journal/detail.html",
        {
            "entry": entry,
            "linked": linked,
            "linked_url": links.url_of(entry.link_kind, linked) if linked is not None else "",
        },
    )


def _edit_values(entry: Entry) -> dict[str, Any]:
    values = services.saved_values(entry)
    values["tags"] = ", ".join(entry.tags)
    values["version"] = entry.version
    return values


@login_required
@never_cache
def entry_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(user=request.user, pk=pk)
    choices = selectors.link_choices(request.user)
    current = f"{entry.link_kind}:{entry.link_id}" if entry.link_kind else ""
    if current and current not in dict(choices):
        choices.append((current, "What this entry is about (kept)"))
    form = EntryForm(
        request.POST or None,
        prompts=entry.prompts,
        link_choices=choices,
        editing=True,
        initial=_edit_values(entry),
    )

    def save(data: dict[str, Any]) -> Entry:
        changes: dict[str, Any] = {
            "title": data["title"],
            "answers": form.answers(),
            "tags": data["tags"],
        }
        if data["link"] != current:  # a kept link the author can no longer see stays as it is
            changes["link"] = data["link"]
        return services.entry_update(
            actor=request.user, entry=entry, version=data["version"], **changes
        )

    return versioned_edit(
        request,
        form,
        save=save,
        saved_values=lambda: _edit_values(selectors.entry_get(user=request.user, pk=pk)),
        noun="entry",
        keep_url=entry.get_absolute_url(),
        saved_message="Entry saved.",
        template="journal/form.html",
        context={
            "framework": {"name": entry.framework_name, "key": entry.framework_key},
            "entry": entry,
        },
    )


@login_required
def entry_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(user=request.user, pk=pk)
    if request.method == "POST":
        services.entry_delete(actor=request.user, entry=entry)
        messages.success(request, "Entry deleted.")
        return redirect("journal:list")
    return render(request, "journal/confirm_delete.html", {"entry": entry})


@login_required
def frameworks(request: AuthedHttpRequest) -> HttpResponse:
    form = FrameworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Framework added.")
            return redirect("journal:frameworks")
    return render(
        request,
        "journal/frameworks.html",
        {"form": form, "frameworks": selectors.frameworks_for(request.user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def framework_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    framework = selectors.custom_frameworks(request.user).filter(pk=pk).first()
    if framework is None:
        raise Http404
    try:
        services.framework_delete(actor=request.user, framework=framework)
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Framework removed; entries written with it keep its prompts.")
    return redirect("journal:frameworks")


@login_required
def reminder(request: AuthedHttpRequest) -> HttpResponse:
    current = selectors.reminder_of(request.user)
    form = ReminderForm(
        request.POST or None, initial={"weekday": str(current.weekday) if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.reminder_set(actor=request.user, weekday=form.cleaned_data["weekday"])
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            if saved is None:
                messages.success(request, "No journal reminders.")
            else:
                day = dict(WEEKDAYS)[str(saved.weekday)]
                messages.success(request, f"You will be reminded every {day}.")
            return redirect("journal:list")
    return render(request, "journal/reminder.html", {"form": form})


@login_required
@never_cache
@not_in_access_log
def entry_share(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Edit → preview (exactly what becomes visible, not editable) → share. Neither request is
    in the access log, named or anonymous (decisions/0010, 0171)."""
    entry = selectors.entry_get(user=request.user, pk=pk)
    teams = sharing.sharing_teams(request.user)
    action = request.POST.get("action", "edit")
    answered = entry.answered()
    initial = {
        "statement": sharing.first_sentence(answered[0]["answer"]) if answered else entry.title,
        "context": sharing.draft_context(entry),
        "team": str(teams[0].pk) if teams else "",
        "visibility": "team",
        "tags": ", ".join(entry.tags),
    }
    form = ShareForm(
        request.POST if request.method == "POST" else None, teams=teams, initial=initial
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        args = {
            "actor": request.user,
            "entry": entry,
            "team_id": data["team"],
            "statement": data["statement"],
            "context": data["context"],
            "tags": data["tags"],
            "visibility": data["visibility"],
            "anonymous": data["anonymous"],
        }
        try:
            if action == "share":
                lesson = sharing.entry_share(**args)
                if data["anonymous"]:
                    return redirect("journal:shared")
                messages.success(request, "Shared in the library. Thank you for sharing it.")
                return redirect("lessons:detail", pk=lesson.pk)
            if action == "preview":
                preview = sharing.share_preview(**args)
        except ApplicationError as exc:
            apply_error(form, exc)
    return render(
        request,
        "journal/share.html",
        {"entry": entry, "form": form, "preview": preview, "teams": teams},
        status=400 if form.errors else 200,
    )


@login_required
@not_in_access_log
def entry_shared(request: AuthedHttpRequest) -> HttpResponse:
    """Where an anonymous share lands: the same page for everyone, no id."""
    return render(request, "journal/shared.html")


@login_required
@never_cache
def journal_export(request: AuthedHttpRequest) -> HttpResponse:
    """Your own journal as one JSON file: the only export that holds journal entries."""
    response = JsonResponse(selectors.export_of(request.user), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-journal.json"'
    return response
