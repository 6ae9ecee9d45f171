from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from django import forms
from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from learnloop.core.errors import ApplicationError, NotFound
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


class _HasAddress(Protocol):
    def get_absolute_url(self) -> str: ...


def versioned_edit(
    request: HttpRequest,
    form: forms.Form,
    *,
    save: Callable[[dict[str, Any]], _HasAddress],
    saved_values: Callable[[], Mapping[str, Any]],
    noun: str,
    keep_url: str,
    saved_message: str,
    template: str,
    context: Mapping[str, Any],
) -> HttpResponse:
    """The edit page of a versioned object, the same for every kind: on a valid POST ``save``
    calls the service with the cleaned data and returns the saved object, whose page follows
    with ``saved_message``; a stale version shows the conflict view beside the person's input
    (409, nothing lost; ``saved_values`` reads the object as saved now); a rule the service
    refuses goes onto the form (200); an object the service no longer finds is a 404."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except StaleVersion as exc:
            conflict = conflict_view(form, exc, saved=saved_values(), noun=noun, keep_url=keep_url)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            flash.success(request, saved_message)
            return redirect(saved.get_absolute_url())
    return render(
        request,
        template,
        {**context, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


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
