"""Board actions on the web: cards (blind while collect runs), grouping from a menu, votes,
notes, and the actions and lessons a topic produces. Each answers the board fragment to HTMX
and redirects a plain form post back to the board.

Writing or changing a card never stores a flash message (the session row is not touched, so
an anonymous card leaves no trace there) and is kept out of the access log, named and
anonymous alike (decisions/0161)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import User
from learnloop.core.accesslog import not_in_access_log
from learnloop.core.errors import ApplicationError
from learnloop.core.validation import id_or_none
from learnloop.core.versioning import require_version
from learnloop.retros import board as board_services
from learnloop.retros import cards, live
from learnloop.retros.models import Card, Retro, Topic
from learnloop.retros.views import answer, board_context, error_text, retro_for


def _card(retro: Retro, card_pk: int) -> Card:
    card = get_object_or_404(Card.objects.select_related("retro"), pk=card_pk, retro=retro)
    card.retro = retro
    return card


def _topic(retro: Retro, topic_pk: int) -> Topic:
    return get_object_or_404(Topic, pk=topic_pk, retro=retro)


def _card_page(request: AuthedHttpRequest, retro: Retro, error: str, status: int) -> HttpResponse:
    context = board_context(request, retro)
    context.update({"card_error": error, "card_text": request.POST.get("text", "")})
    return render(request, "retros/retro_detail.html", context, status=status)


@login_required
@require_POST
@not_in_access_log
def card_write(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    retro = retro_for(request, pk)
    try:
        card, secret = cards.card_write(
            actor=request.user,
            retro=retro,
            column=request.POST.get("column", ""),
            text=request.POST.get("text", ""),
            anonymous=request.POST.get("anonymous") == "on",
        )
    except ApplicationError as exc:
        return _card_page(request, retro, error_text(exc), exc.status)
    response = redirect(f"{retro.get_absolute_url()}#column-{card.column}")
    if secret:
        live.remember_secret(request, response, retro.pk, card.pk, secret)
    return response


@login_required
@require_POST
@not_in_access_log
def card_edit(request: AuthedHttpRequest, pk: int, card_pk: int) -> HttpResponse:
    retro = retro_for(request, pk)
    card = _card(retro, card_pk)
    secret = live.read_secrets(request, retro.pk).get(card.pk)
    try:
        if request.POST.get("delete"):
            cards.card_delete(actor=request.user, card=card, secret=secret)
        else:
            cards.card_edit(
                actor=request.user,
                card=card,
                text=request.POST.get("text", ""),
                version=require_version(request.POST.get("version")),
                secret=secret,
            )
    except ApplicationError as exc:
        if exc.status == 403:
            raise Http404 from None  # not theirs: as if there were no such card
        return _card_page(request, retro, error_text(exc), exc.status)
    return redirect(retro.get_absolute_url())


@login_required
@require_POST
def card_group(request: AuthedHttpRequest, pk: int, card_pk: int) -> HttpResponse:
    retro = retro_for(request, pk)
    card = _card(retro, card_pk)
    try:
        board_services.card_group(
            actor=request.user, retro=retro, card=card, target=request.POST.get("topic")
        )
    except ApplicationError as exc:
        return answer(request, retro, error_text(exc))
    return answer(request, retro)


@login_required
@require_POST
def topic_title(request: AuthedHttpRequest, pk: int, topic_pk: int) -> HttpResponse:
    retro = retro_for(request, pk)
    try:
        board_services.topic_rename(
            actor=request.user,
            retro=retro,
            topic=_topic(retro, topic_pk),
            title=request.POST.get("title", ""),
        )
    except ApplicationError as exc:
        return answer(request, retro, error_text(exc))
    return answer(request, retro)


@login_required
@require_POST
def topic_vote(request: AuthedHttpRequest, pk: int, topic_pk: int) -> HttpResponse:
    retro = retro_for(request, pk)
    topic = _topic(retro, topic_pk)
    try:
        if request.POST.get("retract"):
            board_services.vote_retract(actor=request.user, retro=retro, topic=topic)
        else:
            board_services.vote_cast(actor=request.user, retro=retro, topic=topic)
    except ApplicationError as exc:
        return answer(request, retro, error_text(exc))
    return answer(request, retro)


@login_required
@require_POST
def topic_notes(request: AuthedHttpRequest, pk: int, topic_pk: int) -> HttpResponse:
    retro = retro_for(request, pk)
    try:
        board_services.topic_notes(
            actor=request.user,
            retro=retro,
            topic=_topic(retro, topic_pk),
            notes=request.POST.get("notes", ""),
            version=require_version(request.POST.get("notes_version")),
        )
    except ApplicationError as exc:
        return answer(request, retro, error_text(exc))
    return answer(request, retro)


def _optional_topic(retro: Retro, value: str | None) -> Topic | None:
    if not value:
        return None
    return Topic.objects.filter(retro=retro, pk=id_or_none(value) or 0).first()


@login_required
@require_POST
def topic_action(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    retro = retro_for(request, pk)
    owner_id = id_or_none(request.POST.get("owner"))
    owner = (
        User.objects.filter(pk=owner_id, memberships__team=retro.team).first() if owner_id else None
    )
    try:
        board_services.topic_action(
            actor=request.user,
            retro=retro,
            topic=_optional_topic(retro, request.POST.get("topic")),
            title=request.POST.get("title", ""),
            owner=owner,
            due_date=request.POST.get("due_date") or None,
        )
    except ApplicationError as exc:
        return answer(request, retro, error_text(exc))
    return answer(request, retro)


@login_required
@require_POST
def topic_lesson(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    retro = retro_for(request, pk)
    try:
        board_services.topic_lesson(
            actor=request.user,
            retro=retro,
            topic=_optional_topic(retro, request.POST.get("topic")),
            statement=request.POST.get("statement", ""),
        )
    except ApplicationError as exc:
        return answer(request, retro, error_text(exc))
    return answer(request, retro)
