from __future__ import annotations

from django import forms

from learnloop.core.errors import ApplicationError


def apply_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's ApplicationError on the form: per field where it names one."""
    if not exc.fields:
        form.add_error(None, exc.message)
        return
    for name, messages in exc.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
