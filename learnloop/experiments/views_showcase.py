"""The monthly showcase pages: the list and set-up form, the agenda (reorder, add, mark
presented, applause), its settings, the printable agenda, Markdown and the .ics invitation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import can_manage_team, get_visible_or_404, team_ids_of
from learnloop.applause.selectors import bars_for
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.forms import apply_error, versioned_edit
from learnloop.core.models import Visibility
from learnloop.core.validation import id_or_none
from learnloop.experiments import showcase as svc
from learnloop.experiments.models import Experiment, Showcase, ShowcaseItem, ShowcaseScope
from learnloop.experiments.showcase_export import showcase_ics, showcase_markdown
from learnloop.lessons.models import Lesson


class ShowcaseForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label=None)
    scope = forms.ChoiceField(choices=ShowcaseScope.choices, initial=ShowcaseScope.TEAM)
    month = forms.CharField(help_text="YYYY-MM: the month it looks back on.")
    title = forms.CharField(required=False, max_length=200, help_text="Empty: a title is made.")
    meeting_at = forms.CharField(
        required=False,
        label="Meeting time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    duration_minutes = forms.CharField(required=False, initial="60", label="Minutes")
    location = forms.CharField(required=False, max_length=200, label="Room or video link")
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.TEAM)

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["team"]
        field.queryset = Team.objects.filter(pk__in=[t.pk for t in teams]).order_by("name")


class SettingsForm(forms.Form):
    title = forms.CharField(max_length=200)
    meeting_at = forms.CharField(
        required=False,
        label="Meeting time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    duration_minutes = forms.CharField(required=False, label="Minutes")
    location = forms.CharField(required=False, max_length=200, label="Room or video link")
    version = forms.IntegerField(widget=forms.HiddenInput())


class ItemForm(forms.Form):
    title = forms.CharField(required=False, max_length=200)
    insight = forms.CharField(
        required=False, label="What it taught", widget=forms.Textarea(attrs={"rows": 2})
    )
    experiment = forms.CharField(required=False, label="Experiment number (optional)")
    lesson = forms.CharField(required=False, label="Lesson number (optional)")
    presenter = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, showcase: Showcase, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["presenter"]
        people = User.objects.filter(is_active=True)
        if showcase.scope == ShowcaseScope.ORGANISATION:
            people = people.filter(organisation_id=showcase.team.organisation_id)
        else:
            people = people.filter(memberships__team=showcase.team)
        field.queryset = people.order_by("display_name", "email")
        field.label_from_instance = lambda u: u.name


def _manageable_teams(user: User) -> list[Team]:
    teams = Team.objects.filter(pk__in=team_ids_of(user)).select_related("organisation")
    if user.is_org_admin:
        teams = Team.objects.filter(organisation_id=user.organisation_id or 0)
    return [t for t in teams.order_by("name") if can_manage_team(user, t)]


@login_required
def showcase_list(request: AuthedHttpRequest) -> HttpResponse:
    showcases = svc.showcases_visible(request.user).order_by("-month", "-id")[:50]
    teams = _manageable_teams(request.user)
    form = None
    if teams:
        initial = {"month": f"{timezone.localdate():%Y-%m}"}
        form = ShowcaseForm(request.POST or None, teams=teams, initial=initial)
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                showcase = svc.showcase_create(
                    actor=request.user,
                    team=data["team"],
                    month=data["month"],
                    scope=data["scope"],
                    title=data["title"],
                    meeting_at=data["meeting_at"],
                    duration_minutes=data["duration_minutes"] or 60,
                    location=data["location"],
                    visibility=data["visibility"],
                )
            except PermissionDenied as exc:
                form.add_error(None, exc.message)
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, "Showcase set up: the agenda is built from the month.")
                return redirect(showcase.get_absolute_url())
    return render(
        request,
        "experiments/showcase_list.html",
        {"showcases": showcases, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


def _showcase_or_404(request: AuthedHttpRequest, pk: int) -> Showcase:
    return get_visible_or_404(
        Showcase.objects.select_related("team__organisation", "facilitator"), request.user, pk=pk
    )


def _context(request: AuthedHttpRequest, showcase: Showcase, **extra: Any) -> dict[str, Any]:
    items = list(svc.items_of(showcase))
    can_run = svc.can_facilitate(request.user, showcase)
    context = {
        "showcase": showcase,
        "items": items,
        "bars": bars_for(user=request.user, kind="showcase_item", ids=[i.pk for i in items]),
        "can_run": can_run,
        "item_form": ItemForm(showcase=showcase) if can_run else None,
        "presented": sum(1 for i in items if i.presented_at),
    }
    context.update(extra)
    return context


@login_required
def showcase_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    showcase = _showcase_or_404(request, pk)
    template = "experiments/showcase_print.html" if request.GET.get("print") else None
    return render(request, template or "experiments/showcase.html", _context(request, showcase))


def _run(request: AuthedHttpRequest, showcase: Showcase, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except PermissionDenied as exc:
        messages.error(request, exc.message)
        return redirect(showcase.get_absolute_url())
    except ApplicationError as exc:
        return render(
            request,
            "experiments/showcase.html",
            _context(request, showcase, step_error=exc),
            status=400,
        )
    messages.success(request, done)
    return redirect(showcase.get_absolute_url() + "#agenda")


@login_required
@require_POST
def showcase_refresh(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    showcase = _showcase_or_404(request, pk)
    return _run(
        request,
        showcase,
        lambda: svc.showcase_refresh(actor=request.user, showcase=showcase),
        "Agenda brought up to date with the month's experiments.",
    )


def _item(request: AuthedHttpRequest, showcase: Showcase, item_id: int) -> ShowcaseItem:
    item = showcase.items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    item.showcase = showcase
    return item


@login_required
@require_POST
def item_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    showcase = _showcase_or_404(request, pk)
    if not svc.can_facilitate(request.user, showcase):
        raise Http404
    form = ItemForm(request.POST, showcase=showcase)
    if form.is_valid():
        data = form.cleaned_data
        experiment = lesson = None
        errors: dict[str, list[str]] = {}
        if data["experiment"]:
            experiment = (
                Experiment.objects.visible_to(request.user)
                .filter(pk=id_or_none(data["experiment"]) or 0)
                .first()
            )
            if experiment is None:
                errors["experiment"] = ["No experiment you can open has this number."]
        if data["lesson"]:
            lesson = (
                Lesson.objects.visible_to(request.user)
                .filter(pk=id_or_none(data["lesson"]) or 0)
                .first()
            )
            if lesson is None:
                errors["lesson"] = ["No lesson you can open has this number."]
        try:
            if errors:
                raise ApplicationError("The item was not added.", fields=errors)
            svc.showcase_item_add(
                actor=request.user,
                showcase=showcase,
                title=data["title"],
                insight=data["insight"],
                presenter=data["presenter"],
                experiment=experiment,
                lesson=lesson,
            )
        except ApplicationError as exc:
            apply_error(form, _form_fields(exc))
        else:
            messages.success(request, "Item added to the agenda.")
            return redirect(showcase.get_absolute_url() + "#agenda")
    return render(
        request,
        "experiments/showcase.html",
        _context(request, showcase, item_form=form),
        status=400,
    )


def _form_fields(exc: ApplicationError) -> ApplicationError:
    """The service names links ``experiment_id``/``lesson_id``; the form's fields drop ``_id``."""
    fields = {k.removesuffix("_id"): v for k, v in exc.fields.items()}
    return ApplicationError(exc.message, fields=fields)


@login_required
@require_POST
def item_move(request: AuthedHttpRequest, pk: int, item_id: int) -> HttpResponse:
    showcase = _showcase_or_404(request, pk)
    item = _item(request, showcase, item_id)
    direction = request.POST.get("to")
    position = request.POST.get("position")
    if direction == "up":
        position = str(max(1, item.position - 1))
    elif direction == "down":
        position = str(item.position + 1)
    return _run(
        request,
        showcase,
        lambda: svc.showcase_item_move(actor=request.user, item=item, position=position),
        "Agenda reordered.",
    )


@login_required
@require_POST
def item_presented(request: AuthedHttpRequest, pk: int, item_id: int) -> HttpResponse:
    showcase = _showcase_or_404(request, pk)
    item = _item(request, showcase, item_id)
    presented = request.POST.get("presented", "1") != "0"
    return _run(
        request,
        showcase,
        lambda: svc.showcase_item_presented(actor=request.user, item=item, presented=presented),
        "Marked as presented." if presented else "Marked as not presented yet.",
    )


@login_required
@require_POST
def item_remove(request: AuthedHttpRequest, pk: int, item_id: int) -> HttpResponse:
    showcase = _showcase_or_404(request, pk)
    item = _item(request, showcase, item_id)
    return _run(
        request,
        showcase,
        lambda: svc.showcase_item_remove(actor=request.user, item=item),
        "Item taken off the agenda.",
    )


def _settings_values(showcase: Showcase) -> dict[str, Any]:
    when = timezone.localtime(showcase.meeting_at) if showcase.meeting_at else None
    return {
        "title": showcase.title,
        "meeting_at": f"{when:%Y-%m-%dT%H:%M}" if when else "",
        "duration_minutes": str(showcase.duration_minutes),
        "location": showcase.location,
        "version": showcase.version,
    }


@login_required
def showcase_settings(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    showcase = _showcase_or_404(request, pk)
    if not svc.can_facilitate(request.user, showcase):
        raise Http404
    form = SettingsForm(request.POST or None, initial=_settings_values(showcase))

    def save(data: dict[str, Any]) -> Showcase:
        return svc.showcase_update(
            actor=request.user,
            showcase=showcase,
            version=data["version"],
            title=data["title"],
            meeting_at=data["meeting_at"],
            duration_minutes=data["duration_minutes"] or 60,
            location=data["location"],
        )

    return versioned_edit(
        request,
        form,
        save=save,
        saved_values=lambda: _settings_values(_showcase_or_404(request, pk)),
        noun="showcase",
        keep_url=showcase.get_absolute_url(),
        saved_message="Showcase saved.",
        template="experiments/showcase_settings.html",
        context={"showcase": showcase},
    )


@login_required
def showcase_md(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    showcase = _showcase_or_404(request, pk)
    text = showcase_markdown(showcase, list(svc.items_of(showcase)))
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="showcase-{showcase.pk}.md"'
    return response


@login_required
def showcase_invitation(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    showcase = _showcase_or_404(request, pk)
    if showcase.meeting_at is None:
        raise Http404
    response = HttpResponse(showcase_ics(showcase), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="showcase-{showcase.pk}.ics"'
    return response
