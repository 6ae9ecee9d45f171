"""The coach in the product: check text (with the organisation's member names), keep flags for
content that is saved, resolve and dismiss them. The engine itself is pure (engine/); this
module is the only place that writes :class:`CoachFlag` rows.

Who may do what (docs/decisions/0081-coach-visibility.md): anyone signed in may check text
without a target (nothing is kept). With a target, the target must be visible (404 otherwise)
and flags are kept only when the user may edit it; resolving and dismissing need the same, and
answer 404 otherwise, exactly like the editor pages.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db import transaction

from learnloop.accounts.visibility import team_ids_of
from learnloop.coach.engine import Finding, analyse
from learnloop.coach.labels import signal_label, split_suggestion
from learnloop.coach.models import CoachFlag, FlagStatus, ResolvedHow, TargetType
from learnloop.core.errors import ApplicationError, NotFound

MAX_TEXT_BYTES = 200 * 1024
MAX_REASON_CHARS = 300
NAMES_CACHE_SECONDS = 300
DISMISS_REASONS = ["Quoting someone", "Not about a person", "Already discussed"]

_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Lone surrogates (possible in JSON) become U+FFFD: same length, so offsets still hold."""
    return _SURROGATE.sub("\ufffd", text)


def validate_text(text: Any) -> str:
    if not isinstance(text, str):
        raise ApplicationError(
            "The text must be a string.", fields={"text": ["Send the text as a JSON string."]}
        )
    text = clean_text(text)
    size = len(text.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        kb = -(-size // 1024)
        raise ApplicationError(
            f"The text is too long to check ({kb} KB); the limit is 200 KB. Check it in parts.",
            code="too_large",
            fields={"text": ["At most 200 KB of text can be checked at once."]},
            status=413,
        )
    return text


def sentence_hash(sentence: str) -> str:
    """Same sentence modulo case and spacing -> same hash, so re-checks find the old flag."""
    norm = _SPACE.sub(" ", sentence).strip().casefold()
    return hashlib.sha256(norm.encode("utf-8", "replace")).hexdigest()


def _storable(value: str, limit: int) -> str:
    # PostgreSQL text cannot hold NUL; keep what a person would read.
    value = value.replace("\x00", "")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def org_member_names(organisation_id: int | None) -> list[str]:
    """Display names and first names of the organisation's active people, cached a few minutes
    (names change rarely; a new colleague is picked up within ``NAMES_CACHE_SECONDS``).

    Cached per process (the ``local`` cache), not in the shared one: with the file cache an
    entry written while someone types a report would be a file whose time dates the writing
    of a report, perhaps an anonymous one (decision 0010)."""
    if organisation_id is None:
        return []

    def load() -> list[str]:
        from learnloop.accounts.models import User

        names: set[str] = set()
        rows = User.objects.filter(organisation_id=organisation_id, is_active=True).values_list(
            "display_name", "first_name", "last_name"
        )
        for display, first, last in rows.iterator():
            for value in (display, first, f"{first} {last}".strip()):
                value = (value or "").strip()
                if len(value) >= 2:
                    names.add(value)
            if display and " " in display.strip():
                names.add(display.strip().split()[0])
        return sorted(n for n in names if len(n) >= 2)

    return caches["local"].get_or_set(f"coach:names:{organisation_id}", load, NAMES_CACHE_SECONDS)


# ------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    type: str
    id: int
    obj: Any
    writable: bool

    @property
    def team(self) -> Any:
        return self.obj.team

    @property
    def review_id(self) -> int | None:
        return self.obj.pk if self.type == TargetType.REVIEW else None


def _writable(user: Any, type_: str, obj: Any) -> bool:
    if type_ == TargetType.INCIDENT:
        from learnloop.incidents.services import can_edit_incident

        return can_edit_incident(user, obj)
    return obj.team_id in team_ids_of(user)


def _model_for(type_: str) -> Any:
    if type_ == TargetType.REVIEW:
        from learnloop.reviews.models import Review

        return Review
    if type_ == TargetType.LESSON:
        from learnloop.lessons.models import Lesson

        return Lesson
    if type_ == TargetType.INCIDENT:
        from learnloop.incidents.models import Incident

        return Incident
    raise ApplicationError(
        "Unknown target type.",
        fields={"target_type": [f"Use one of: {', '.join(TargetType.values)}."]},
    )


def target_get(*, user: Any, target_type: str, target_id: Any) -> Target:
    """The target if ``user`` can see it; NotFound (404) otherwise, never 403."""
    model = _model_for(target_type)
    try:
        obj = model.objects.visible_to(user).select_related("team").get(pk=int(target_id))
    except (model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    return Target(target_type, obj.pk, obj, _writable(user, target_type, obj))


def _flag_target_or_404(user: Any, flag: CoachFlag) -> Target:
    target = target_get(user=user, target_type=flag.target_type, target_id=flag.target_id)
    if not target.writable:
        raise NotFound()
    return target


# ---------------------------------------------------------------------- checking


def finding_as_dict(text: str, f: Finding) -> dict[str, Any]:
    """One finding for the editor: ``label`` is what people read (never the code in
    ``signal``); ``rewording`` may replace the sentence, ``question`` is only offered."""
    rewording, question = split_suggestion(text[f.sentence_start : f.sentence_end], f.suggestion)
    return {
        "start": f.start,
        "end": f.end,
        "signal": f.signal,
        "signals": list(f.signals),
        "sentence_start": f.sentence_start,
        "sentence_end": f.sentence_end,
        "span": text[f.start : f.end],
        "message": f.message,
        "suggestion": f.suggestion,
        "label": signal_label(f.signal),
        "rewording": rewording,
        "question": question,
        "flag": None,
    }


def _flag_dict(flag: CoachFlag) -> dict[str, Any]:
    return {"id": flag.pk, "status": flag.status, "dismiss_reason": flag.dismiss_reason}


def _upsert_flags(
    *, target: Target, field_key: str, text: str, findings: list[Finding], prune_field: bool
) -> dict[str, CoachFlag]:
    """Create the missing flags of ``findings``; drop open flags of the field whose sentence is
    gone (they were drafts of a sentence still being typed, not hints anyone acted on)."""
    by_hash: dict[str, Finding] = {}
    for f in findings:
        by_hash.setdefault(sentence_hash(text[f.sentence_start : f.sentence_end]), f)
    team = target.team
    base = CoachFlag.objects.filter(target_type=target.type, target_id=target.id)
    with transaction.atomic():
        if prune_field:
            stale = base.filter(field_key=field_key, status=FlagStatus.OPEN)
            stale.exclude(sentence_hash__in=list(by_hash)).delete()
        existing = {f.sentence_hash: f for f in base.filter(sentence_hash__in=list(by_hash))}
        new = [
            CoachFlag(
                organisation_id=team.organisation_id,
                team_id=team.pk,
                review_id=target.review_id,
                target_type=target.type,
                target_id=target.id,
                field_key=field_key,
                sentence_hash=h,
                span=_storable(text[f.start : f.end], 200),
                signal=f.signal,
                signals=",".join(f.signals)[:200],
                message=_storable(f.message, 300),
            )
            for h, f in by_hash.items()
            if h not in existing
        ]
        if new:
            CoachFlag.objects.bulk_create(new, ignore_conflicts=True)
            existing = {f.sentence_hash: f for f in base.filter(sentence_hash__in=list(by_hash))}
        moved = [f.pk for f in existing.values() if f.field_key != field_key and f.status == "open"]
        if moved and field_key:
            CoachFlag.objects.filter(pk__in=moved).update(field_key=field_key)
    return existing


def coach_check(
    *,
    user: Any,
    text: Any,
    use_names: bool = True,
    target_type: str = "",
    target_id: Any = None,
    field_key: str = "",
) -> list[dict[str, Any]]:
    """Findings for ``text``. With a target the user may edit, flags are kept and each finding
    carries its flag (id, status), so resolved and dismissed hints stay that way."""
    text = validate_text(text)
    field_key = _storable(str(field_key or ""), 120)
    target = None
    if target_type or target_id not in (None, ""):
        target = target_get(user=user, target_type=str(target_type), target_id=target_id)
    names = org_member_names(getattr(user, "organisation_id", None)) if use_names else []
    findings = analyse(text, names=names)
    if target is not None:
        findings = drop_accepted(text, findings, accepted_hashes_for(target.type, target.id))
    out = [finding_as_dict(text, f) for f in findings]
    if target is not None and target.writable:
        flags = _upsert_flags(
            target=target, field_key=field_key, text=text, findings=findings, prune_field=True
        )
        for item in out:
            h = sentence_hash(text[item["sentence_start"] : item["sentence_end"]])
            if h in flags:
                item["flag"] = _flag_dict(flags[h])
    return out


# ---------------------------------------------------------------- resolve/dismiss


def _flag_for_update(user: Any, flag_id: Any) -> CoachFlag:
    try:
        flag = CoachFlag.objects.select_for_update().get(pk=int(flag_id))
    except (CoachFlag.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    _flag_target_or_404(user, flag)
    return flag


def accepted_hashes_for(target_type: str, target_id: int) -> set[str]:
    rows = CoachFlag.objects.filter(
        target_type=target_type, target_id=target_id, resolved_how=ResolvedHow.REWORDED
    ).values_list("accepted_hashes", flat=True)
    return {h for row in rows for h in (row or [])}


def drop_accepted(text: str, findings: list[Finding], accepted: set[str]) -> list[Finding]:
    if not accepted:
        return findings
    return [
        f
        for f in findings
        if sentence_hash(text[f.sentence_start : f.sentence_end]) not in accepted
    ]


def coach_flag_resolve(
    *, user: Any, flag_id: Any, how: str = ResolvedHow.MARKED, replacement: Any = ""
) -> CoachFlag:
    """Resolve a hint (the writer changed the wording or decided it is fine as it is).

    With ``how="reworded"`` and the ``replacement`` text the writer accepted, the sentences of
    that wording are never flagged on this target: the coach must not flag its own advice."""
    if how not in ResolvedHow.values:
        raise ApplicationError(
            "Unknown way of resolving.", fields={"how": [f"Use {' or '.join(ResolvedHow.values)}."]}
        )
    with transaction.atomic():
        flag = _flag_for_update(user, flag_id)
        flag.status = FlagStatus.RESOLVED
        flag.resolved_how = how
        flag.resolved_by = user
        flag.dismiss_reason = ""
        flag.dismissed_by = None
        if how == ResolvedHow.REWORDED and isinstance(replacement, str) and replacement.strip():
            replacement = validate_text(replacement[:5000])
            flag.accepted_hashes = sorted(
                {
                    sentence_hash(replacement[f.sentence_start : f.sentence_end])
                    for f in analyse(replacement, names=org_member_names(flag.organisation_id))
                }
            )[:20]
        flag.full_clean()
        flag.save()
    return flag


def coach_flag_dismiss(*, user: Any, flag_id: Any, reason: Any) -> CoachFlag:
    """Dismiss a hint with a reason; the same sentence is not raised again for this target."""
    reason = _SPACE.sub(" ", clean_text(reason if isinstance(reason, str) else "")).strip()
    reason = reason.replace("\x00", "")
    if not reason:
        raise ApplicationError(
            "Say why you dismiss this hint.",
            fields={"reason": ["Choose a reason or write one (for example: quoting someone)."]},
        )
    if len(reason) > MAX_REASON_CHARS:
        raise ApplicationError(
            "The reason is too long.",
            fields={"reason": [f"At most {MAX_REASON_CHARS} characters."]},
        )
    with transaction.atomic():
        flag = _flag_for_update(user, flag_id)
        flag.status = FlagStatus.DISMISSED
        flag.dismiss_reason = reason
        flag.dismissed_by = user
        flag.resolved_how = ""
        flag.resolved_by = None
        flag.full_clean()
        flag.save()
    return flag


def coach_sync_review(*, review: Any) -> None:
    """Make the review's flags match its saved text: missing flags are created, open flags of
    sentences no longer in the review are dropped. Called when a review is published, so the
    counts for the culture metrics describe what was published even if nobody typed in a
    browser (API edits, imports)."""
    from learnloop.coach.selectors import review_text_fields

    team = review.team
    names = org_member_names(team.organisation_id)
    target = Target(TargetType.REVIEW, review.pk, review, True)
    keep: set[str] = set()
    accepted = accepted_hashes_for(TargetType.REVIEW, review.pk)
    for field_key, _section, text in review_text_fields(review):
        text = clean_text(text)
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            continue
        findings = drop_accepted(text, analyse(text, names=names), accepted)
        flags = _upsert_flags(
            target=target, field_key=field_key, text=text, findings=findings, prune_field=False
        )
        keep.update(flags)
    CoachFlag.objects.filter(
        target_type=TargetType.REVIEW, target_id=review.pk, status=FlagStatus.OPEN
    ).exclude(sentence_hash__in=list(keep)).delete()


__all__ = [
    "DISMISS_REASONS",
    "MAX_TEXT_BYTES",
    "coach_check",
    "coach_flag_dismiss",
    "coach_flag_resolve",
    "coach_sync_review",
    "org_member_names",
    "target_get",
]
