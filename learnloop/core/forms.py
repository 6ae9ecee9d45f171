from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone

from learnloop.core.errors import ApplicationError
from learnloop.core.versioning import StaleVersion


def apply_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's ApplicationError on the form: per field where it names one."""
    if not exc.fields:
        form.add_error(None, exc.message)
        return
    for name, messages in exc.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


def conflict_view(
    form: forms.Form, exc: StaleVersion, *, saved: Mapping[str, Any], noun: str, keep_url: str
) -> dict[str, Any]:
    """Context for ``web/_conflict.html`` after a stale save, and ``form`` re-bound to carry the
    current version: the person's input stays in the form (nothing is lost), the latest saved
    version is shown beside it, and saving again knowingly replaces it.

    ``saved`` holds the current saved values keyed by form field name (as for ``initial``).
    """
    data = form.data.copy()
    data["version"] = str(exc.current_version)
    form.data = data
    form.is_bound = True
    form._errors = None  # re-validate against the new data
    form.is_valid()
    rows = [
        (str(field.label or name), _shown_choice(field, saved[name]))
        for name, field in form.fields.items()
        if name in saved and name != "version"
    ]
    labels = {name: str(field.label or name) for name, field in form.fields.items()}
    return conflict_context(exc, rows=rows, labels=labels, noun=noun, keep_url=keep_url)


def conflict_context(
    exc: StaleVersion,
    *,
    rows: list[tuple[str, str]],
    labels: Mapping[str, str],
    noun: str,
    keep_url: str,
) -> dict[str, Any]:
    """Context for ``web/_conflict.html``: ``rows`` (label, saved value) show the latest saved
    version; ``labels`` name the fields that differ from the person's input."""
    return {
        "message": exc.message,
        "noun": noun,
        "rows": rows,
        "fields": [labels.get(name, name) for name in exc.fields if name != "version"],
        "keep_url": keep_url,
        "current_version": exc.current_version,
    }


def _shown_choice(field: forms.Field, value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
