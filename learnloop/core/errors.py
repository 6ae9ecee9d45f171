"""The one application error type. Services raise it; web views show it next to the field,
the API turns it into the one JSON error shape ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from typing import Any


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """The one error shape, for the API and anything else that answers JSON."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


class ApplicationError(Exception):
    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        fields: dict[str, list[str]] | None = None,
        status: int = 400,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}
        self.status = status

    def as_dict(self) -> dict[str, object]:
        return error_body(self.code, self.message, self.fields)

    def as_text(self) -> str:
        """One line for a command's error: the message, then each field's messages."""
        details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in self.fields.items())
        return f"{self.message} {details}".strip()


class NotFound(ApplicationError):
    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message, code="not_found", status=404)


class PermissionDenied(ApplicationError):
    def __init__(self, message: str = "You do not have permission to do this.") -> None:
        super().__init__(message, code="permission_denied", status=403)


class Conflict(ApplicationError):
    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message, code="conflict", fields=fields, status=409)


def validation_error_fields(exc: Exception) -> dict[str, list[str]]:
    """Flatten a Django ValidationError into ``{field: [messages]}``."""
    from django.core.exceptions import ValidationError

    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        return {"__all__": [str(m) for m in exc.messages]}
    return {"__all__": [str(exc)]}
