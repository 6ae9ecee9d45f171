"""The slash command endpoint (called by Slack, verified by its signature, no session), the
Slack settings page and the link page (decisions/0181)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.chat import commands, services
from learnloop.chat.forms import WorkspaceForm
from learnloop.chat.models import SlackLink
from learnloop.chat.selectors import workspace_in_token, workspace_of
from learnloop.chat.slack import parse_form, verified_workspace
from learnloop.core.accesslog import not_in_access_log
from learnloop.core.errors import ApplicationError
from learnloop.core.forms import apply_error
from learnloop.core.urls_util import absolute_url
from learnloop.core.versioning import StaleVersion


@csrf_exempt
@require_POST
@never_cache
@not_in_access_log
def slack_command(request: HttpRequest) -> HttpResponse:
    """``POST /chat/slack/commands``. A bad, old or replayed signature: 401 and nothing done.
    Named and anonymous commands alike stay out of the access log (decision 0010)."""
    body = request.body
    form = parse_form(body)
    workspace = verified_workspace(body, request.headers, form)
    if workspace is None:
        return JsonResponse(
            {"error": {"code": "unauthenticated", "message": "Bad signature.", "fields": {}}},
            status=401,
        )
    return JsonResponse(commands.handle(workspace, form))


@login_required
def settings_page(request: AuthedHttpRequest) -> HttpResponse:
    """Everyone: their own Slack link. Organisation admins: the workspace settings too."""
    user = request.user
    workspace = workspace_of(user)
    form = None
    if user.is_org_admin and user.organisation_id is not None:
        initial = (
            {
                "slack_team_id": workspace.slack_team_id,
                "default_team": workspace.default_team_id,
                "version": workspace.version,
            }
            if workspace
            else {}
        )
        form = WorkspaceForm(
            request.POST or None, organisation_id=user.organisation_id, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.workspace_save(
                    actor=user,
                    version=data["version"],
                    slack_team_id=data["slack_team_id"],
                    signing_secret=data["signing_secret"],
                    default_team=data["default_team"],
                )
            except StaleVersion as exc:
                form.add_error(None, exc.message + " Reload the page and save again.")
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, "Slack settings saved.")
                return redirect("chat:settings")
    elif request.method == "POST":
        raise Http404
    context = {
        "form": form,
        "workspace": workspace,
        "link": SlackLink.objects.filter(user=user).first(),
        "command_url": absolute_url(reverse("chat:slack-command")),
    }
    return render(
        request, "chat/settings.html", context, status=400 if form and form.errors else 200
    )


@login_required
@never_cache
def link_page(request: AuthedHttpRequest, token: str) -> HttpResponse:
    data = services.read_link_token(token)
    workspace = workspace_in_token(request.user, data)
    if data is None or workspace is None:
        raise Http404("This link has expired or is not for your organisation.")
    if request.method == "POST":
        services.link_confirm(actor=request.user, token=token)
        messages.success(request, "Your Slack account is linked. Try /learnloop help in Slack.")
        return redirect("chat:settings")
    context = {"slack_user": data["u"], "slack_name": data.get("n", ""), "workspace": workspace}
    return render(request, "chat/link.html", context)


@login_required
@require_POST
def unlink(request: AuthedHttpRequest) -> HttpResponse:
    services.link_delete(actor=request.user)
    messages.success(request, "Your Slack account is no longer linked.")
    return redirect("chat:settings")
