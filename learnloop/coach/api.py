"""Coach API: check text, list a review's flags and counts, resolve and dismiss flags.

Every id goes through the visibility rule: another team's private review, or a flag on it,
answers 404 exactly like a missing one."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import ValidationError as PydanticValidationError

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.api.types import BodyIn, JsonBool, JsonInt
from learnloop.coach import selectors, services
from learnloop.coach.models import CoachFlag, ResolvedHow
from learnloop.core.errors import ApplicationError
from learnloop.core.validation import unknown_field_message

router = Router(tags=["coach"])


class CheckIn(BodyIn):
    text: str = Field(..., description="Plain text or Markdown, at most 200 KB (UTF-8).")
    names: JsonBool = Field(True, description="Also recognise the organisation's member names.")
    target_type: str = Field("", description="review, lesson or incident: keep flags for it.")
    target_id: JsonInt | None = None
    field: str = Field("", description="Which field of the target the text is, e.g. c-summary#0.")


class FlagRef(Schema):
    id: int
    status: str
    dismiss_reason: str


class FindingOut(Schema):
    start: int
    end: int
    signal: str
    signals: list[str]
    sentence_start: int
    sentence_end: int
    span: str
    message: str
    suggestion: str
    label: str = Field(description="What people read about the hint (never the signal code).")
    rewording: str = Field(
        description="Wording that may replace the sentence (same kind: statement or question)."
    )
    question: str = Field(description="A question to consider; never pasted over a statement.")
    flag: FlagRef | None = None


class CheckOut(Schema):
    blame: bool
    findings: list[FindingOut]


class FlagOut(Schema):
    id: int
    review_id: int | None
    target_type: str
    target_id: int
    field: str = Field(..., alias="field_key")
    span: str
    signal: str
    signals: list[str]
    message: str
    status: str
    resolved_how: str
    dismiss_reason: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_signals(obj: CoachFlag) -> list[str]:
        return [s for s in obj.signals.split(",") if s]


class CountsOut(Schema):
    raised: int
    open: int
    resolved: int
    dismissed: int
    by_signal: dict[str, int]


class ResolveIn(BodyIn):
    how: ResolvedHow = ResolvedHow.MARKED
    replacement: str = Field(
        "", description="With how=reworded: the wording used; its sentences are not flagged again."
    )


class DismissIn(BodyIn):
    reason: str = Field(..., description="Why the hint does not apply, e.g. 'Quoting someone'.")


@router.post(
    "/check",
    response={200: CheckOut, **errors(400, 404, 413, 422)},
    summary="Check text for blameful wording",
)
def check(request: AuthedHttpRequest, payload: CheckIn) -> dict[str, Any]:
    findings = services.coach_check(
        user=request.user,
        text=payload.text,
        use_names=payload.names,
        target_type=payload.target_type,
        target_id=payload.target_id,
        field_key=payload.field,
    )
    return {"blame": bool(findings), "findings": findings}


@router.get(
    "/reviews/{review_id}/flags",
    response={200: list[FlagOut], **errors(404, 422)},
    summary="A review's flags",
)
@paginate(Pagination)
def review_flags(request: AuthedHttpRequest, review_id: int) -> Any:
    return selectors.flags_for_review(user=request.user, review_id=review_id)


@router.get(
    "/reviews/{review_id}/counts",
    response={200: CountsOut, **errors(404, 422)},
    summary="A review's flag counts",
)
def review_counts(request: AuthedHttpRequest, review_id: int) -> dict[str, Any]:
    from learnloop.reviews.selectors import review_get_visible

    review = review_get_visible(user=request.user, pk=review_id)
    return selectors.coach_counts_for_review(review)


_RESOLVE_SCHEMA = {
    "type": "object",
    "properties": {
        "how": {"type": "string", "enum": ResolvedHow.values, "default": "marked"},
        "replacement": {"type": "string", "default": ""},
    },
    "additionalProperties": False,
}


def _resolve_problems(exc: PydanticValidationError) -> dict[str, list[str]]:
    """The resolve body's problems by field: an unknown one named, like every body's (0235)."""
    problems: dict[str, list[str]] = {}
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"]) or "how"
        if err["type"] == "extra_forbidden":
            message = unknown_field_message(name, ResolveIn.model_fields)
        elif name == "how":
            message = f"Use {' or '.join(ResolvedHow.values)}."
        else:
            message = err["msg"]
        problems.setdefault(name, []).append(message)
    return problems


@router.post(
    "/flags/{flag_id}/resolve",
    response={200: FlagOut, **errors(400, 404, 422)},
    summary="Resolve a hint",
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": _RESOLVE_SCHEMA}},
        }
    },
)
def resolve(request: AuthedHttpRequest, flag_id: int) -> CoachFlag:
    """The body is optional: ``{"how": "marked" | "reworded"}`` (default marked)."""
    body = ResolveIn()
    if request.content_type == "application/json" and request.body.strip():
        try:
            body = ResolveIn.model_validate(json.loads(request.body))
        except PydanticValidationError as exc:
            raise ApplicationError(
                'The body must be {"how": "marked"} or {"how": "reworded"}.',
                fields=_resolve_problems(exc),
            ) from None
        except (ValueError, TypeError):
            raise ApplicationError(
                'The body must be {"how": "marked"} or {"how": "reworded"}.',
                fields={"how": [f"Use {' or '.join(ResolvedHow.values)}."]},
            ) from None
    return services.coach_flag_resolve(
        user=request.user, flag_id=flag_id, how=body.how, replacement=body.replacement
    )


@router.post(
    "/flags/{flag_id}/dismiss",
    response={200: FlagOut, **errors(400, 404, 422)},
    summary="Dismiss a hint with a reason",
)
def dismiss(request: AuthedHttpRequest, flag_id: int, payload: DismissIn) -> CoachFlag:
    return services.coach_flag_dismiss(user=request.user, flag_id=flag_id, reason=payload.reason)
