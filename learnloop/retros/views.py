"""Thin web views over retros: list, create, the board page, its live state, phases, timer
and the meeting's calendar file. Every lookup goes through the visibility rule (a retro is
its team's: anyone else gets 404); board actions are in ``views_board.py``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template import Context
from django.template.loader import get_template
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import User
from learnloop.accounts.visibility import member_teams, team_ids_of
from learnloop.core.accesslog import not_in_access_log
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.forms import apply_error
from learnloop.core.validation import id_or_none
from learnloop.retros import board_state, live, meeting, selectors, services
from learnloop.retros.carry_over import CarriedAction, carry_over_for
from learnloop.retros.carry_over import carry_over_mark as mark_carried
from learnloop.retros.forms import RetroCreateForm
from learnloop.retros.models import LINK_KINDS, PHASE_ORDER, Retro, link_model
from learnloop.retros.rotation import share_pending
from learnloop.web.page_cache import do_not_keep


def retro_for(request: AuthedHttpRequest, pk: int) -> Retro:
    """A retro the person may see, else 404. Retros are team-private: visible means member."""
    retro = selectors.retro_get(user=request.user, pk=pk)
    if retro.team_id not in team_ids_of(request.user):
        raise Http404
    return retro


@login_required
def retro_list(request: AuthedHttpRequest) -> HttpResponse:
    teams = member_teams(request.user)
    team = next((t for t in teams if t.slug == request.GET.get("team")), None)
    if request.GET.get("team") and team is None:
        raise Http404
    retros = list(selectors.retro_list(user=request.user, team=team)[:50])
    return render(
        request, "retros/retro_list.html", {"teams": teams, "team": team, "retros": retros}
    )


def _about_from_query(request: AuthedHttpRequest, team_ids: list[int]) -> dict[str, Any]:
    """``?incident=ID`` (or ``deliverable``, ``experiment``), from a "Start a retro about this"
    link: the object of one of the person's teams is preselected with its team and a title;
    any other id is ignored (the form still checks whatever is posted)."""
    for kind in LINK_KINDS:
        pk = id_or_none(request.GET.get(kind), signed=kind == "incident")
        if pk is None:
            continue
        obj: Any = (
            link_model(kind)
            .objects.filter(pk=pk, team_id__in=team_ids)
            .select_related("team")
            .first()
        )
        if obj is not None:
            return {kind: obj.pk, "team": obj.team, "title": f"Retro: {obj.title}"[:200]}
    return {}


@login_required
def retro_create(request: AuthedHttpRequest) -> HttpResponse:
    teams = member_teams(request.user)
    if not teams:
        raise Http404
    team_ids = [t.pk for t in teams]
    people = User.objects.filter(memberships__team_id__in=team_ids, is_active=True).distinct()
    initial: dict[str, Any] = {
        "team": next((t for t in teams if t.slug == request.GET.get("team")), teams[0])
    }
    initial.update(_about_from_query(request, team_ids))
    form = RetroCreateForm(
        request.POST or None,
        teams=teams,
        formats=selectors.formats_for(team_ids=team_ids),
        people=people.order_by("display_name", "email"),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            retro = services.retro_create(
                actor=request.user,
                team=data["team"],
                title=data["title"],
                fmt=data["format"],
                participants=data["participants"],
                anonymity=data["anonymity"],
                votes_per_person=data["votes_per_person"],
                votes_per_topic=data["votes_per_topic"],
                deliverable=data["deliverable"],
                experiment=data["experiment"],
                incident=data["incident"],
            )
            if data.get("meeting_at"):
                meeting.retro_meeting_schedule(
                    actor=request.user, retro=retro, meeting_at=data["meeting_at"]
                )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            return redirect(retro.get_absolute_url())
    return render(request, "retros/retro_form.html", {"form": form})


def board_context(request: AuthedHttpRequest, retro: Retro) -> dict[str, object]:
    secrets = live.read_secrets(request, retro.pk)
    board = board_state.board_for(retro=retro, viewer=request.user, secrets=secrets)
    return {
        "retro": retro,
        "board": board,
        "etag": live.etag_for(retro, request.user, secrets, request.session.session_key),
        "phases": PHASE_ORDER,
    }


@login_required
def retro_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    retro = retro_for(request, pk)
    if retro.timer_ends_at:
        do_not_keep(request)  # the timer counts down on the page, not with the data (0076)
    context = board_context(request, retro)
    context["carry_over"] = _carry_over(request, retro)
    context["share_next"] = share_pending(team=retro.team)  # the meeting's agenda names them
    return render(request, "retros/retro_detail.html", context)


def _carry_over(request: AuthedHttpRequest, retro: Retro) -> list[CarriedAction]:
    return carry_over_for(retro=retro)


@login_required
@require_POST
def carry_over_mark(request: AuthedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    retro = retro_for(request, pk)
    action = next((c.action for c in carry_over_for(retro=retro) if c.action.pk == action_pk), None)
    if action is None:
        raise Http404
    try:
        mark_carried(
            actor=request.user,
            retro=retro,
            action=action,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return redirect(retro.get_absolute_url())


def board_fragment(request: AuthedHttpRequest, context: dict[str, object]) -> str:
    """``retros/_board.html`` without the site's context processors (the fragment shows no
    navigation, messages or user menu: they were most of its cost); the CSRF token is made
    only if a form in it asks for one, as with ``render``."""
    template: Any = get_template("retros/_board.html")
    token = SimpleLazyObject(lambda: get_token(request))
    return str(template.template.render(Context({**context, "csrf_token": token})))


@login_required
@not_in_access_log  # polled every second by everyone in the room: not worth a line each
def retro_state(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The live poll: 304 while nothing changed, else the board fragment. The retro is read
    with only the fields the board shows (same rule as ``retro_for``: a member of its team)."""
    retro = selectors.retro_live_get(user=request.user, pk=pk)
    if retro is None:
        raise Http404
    secrets = live.read_secrets(request, retro.pk)
    etag = live.etag_for(retro, request.user, secrets, request.session.session_key)
    if live.not_modified(request, etag):
        return live.with_etag(HttpResponse(status=304), etag)
    board = board_state.board_for(retro=retro, viewer=request.user, secrets=secrets)
    html = board_fragment(
        request, {"retro": retro, "board": board, "etag": etag, "phases": PHASE_ORDER}
    )
    return live.with_etag(HttpResponse(html), etag)


def answer(request: AuthedHttpRequest, retro: Retro, error: str = "") -> HttpResponse:
    """After a board action: HTMX gets the fresh board fragment (with the error, if any);
    a plain form post goes back to the board."""
    if request.headers.get("HX-Request"):
        retro.refresh_from_db()
        context = board_context(request, retro)
        context["error"] = error
        return live.with_etag(render(request, "retros/_board.html", context), str(context["etag"]))
    if error:
        messages.error(request, error)
    return redirect(retro.get_absolute_url())


def error_text(exc: ApplicationError) -> str:
    details = [m for msgs in exc.fields.values() for m in msgs if not m.startswith("The retro is")]
    return " ".join([exc.message, *details[:1]])


@login_required
@require_POST
def retro_phase(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    retro = retro_for(request, pk)
    try:
        services.retro_set_phase(
            actor=request.user, retro=retro, phase=request.POST.get("phase", "")
        )
    except PermissionDenied as exc:
        return answer(request, retro, exc.message)
    except ApplicationError as exc:
        return answer(request, retro, error_text(exc))
    return answer(request, retro)


@login_required
@require_POST
def retro_timer(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    retro = retro_for(request, pk)
    try:
        services.retro_set_timer(
            actor=request.user, retro=retro, minutes=request.POST.get("minutes")
        )
    except ApplicationError as exc:
        return answer(request, retro, error_text(exc))
    return answer(request, retro)


@login_required
def retro_export(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    from learnloop.retros.export import retro_markdown

    retro = retro_for(request, pk)
    response = HttpResponse(retro_markdown(retro), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="retro-{retro.pk}.md"'
    return response


@login_required
def retro_ics(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    retro = retro_for(request, pk)
    if retro.meeting_at is None:
        raise Http404
    response = HttpResponse(meeting.retro_ics(retro), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="retro-{retro.pk}.ics"'
    return response
