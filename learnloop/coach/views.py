"""JSON endpoints the editor script calls while people type (same session and CSRF token as the
page). Thin: they parse the body and call the services; errors use the API's error shape."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.coach import services
from learnloop.coach.models import CoachFlag
from learnloop.core.accesslog import not_in_access_log
from learnloop.core.errors import ApplicationError


def _body(request: AuthedHttpRequest) -> dict[str, Any]:
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApplicationError(
            "The text is too long to check; the limit is 200 KB. Check it in parts.",
            code="too_large",
            status=413,
        ) from None
    if len(raw) > 4 * services.MAX_TEXT_BYTES + 10_000:  # JSON escapes can quadruple it
        raise ApplicationError(
            "The text is too long to check; the limit is 200 KB. Check it in parts.",
            code="too_large",
            status=413,
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ApplicationError("The request body must be a JSON object.") from None
    if not isinstance(data, dict):
        raise ApplicationError("The request body must be a JSON object.")
    return data


def _error(exc: ApplicationError) -> JsonResponse:
    return JsonResponse(exc.as_dict(), status=exc.status)


def flag_json(flag: CoachFlag) -> dict[str, Any]:
    return {
        "id": flag.pk,
        "status": flag.status,
        "signal": flag.signal,
        "span": flag.span,
        "field": flag.field_key,
        "dismiss_reason": flag.dismiss_reason,
        "resolved_how": flag.resolved_how,
    }


@login_required
@require_POST
@not_in_access_log  # called while a report, perhaps anonymous, is being written
def check(request: AuthedHttpRequest) -> JsonResponse:
    try:
        data = _body(request)
        target = str(data.get("target") or "")
        target_type, _, target_id = target.partition(":")
        findings = services.coach_check(
            user=request.user,
            text=data.get("text"),
            use_names=data.get("names", True) is not False,
            target_type=target_type,
            target_id=target_id or None,
            field_key=str(data.get("field") or ""),
        )
    except ApplicationError as exc:
        return _error(exc)
    return JsonResponse({"findings": findings})


@login_required
@require_POST
def resolve(request: AuthedHttpRequest, pk: int) -> JsonResponse:
    try:
        data = _body(request) if request.content_type == "application/json" else {}
        flag = services.coach_flag_resolve(
            user=request.user,
            flag_id=pk,
            how=str(data.get("how") or "marked"),
            replacement=data.get("replacement") or "",
        )
    except ApplicationError as exc:
        return _error(exc)
    return JsonResponse({"flag": flag_json(flag)})


@login_required
@require_POST
def dismiss(request: AuthedHttpRequest, pk: int) -> JsonResponse:
    try:
        data = _body(request)
        flag = services.coach_flag_dismiss(user=request.user, flag_id=pk, reason=data.get("reason"))
    except ApplicationError as exc:
        return _error(exc)
    return JsonResponse({"flag": flag_json(flag)})
