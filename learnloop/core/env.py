"""Typed readers for environment variables.

Every reader fails loudly with :class:`ConfigError`, naming the variable and the form it
expects, so that a mistyped setting stops start-up with a message an operator can act on
instead of a traceback deep inside Django.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


class ConfigError(ImproperlyConfigured):
    """A configuration value is missing or malformed."""


TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ConfigError(
        f"{name}={raw!r} is not a boolean; expected one of 1/0, true/false, yes/no, on/off"
    )


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(
            f"{name}={raw!r} is not an integer; expected a whole number such as {default}"
        ) from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={value} is too small; expected at least {minimum}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name}={value} is too large; expected at most {maximum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, schemes: tuple[str, ...], example: str) -> str:
    """Return the URL in ``name`` ('' when unset) after checking its scheme and host."""
    raw = env_str(name)
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in schemes or not (parts.hostname or parts.path):
        raise ConfigError(
            f"{name}={_redact(raw)!r} is not a valid URL; expected the form {example} "
            f"(scheme one of: {', '.join(schemes)})"
        )
    return raw


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def listen_url(host: str, port: int) -> str:
    """The address a server listening on ``host``:``port`` is reached at, as an http URL.

    A wildcard host (``0.0.0.0``, ``::``, empty) listens on every interface: the machine's own
    name stands for it. An IPv6 address gets its brackets."""
    host = host.strip().strip("[]")
    if host in {"", "0.0.0.0", "::"}:
        host = socket.getfqdn()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"
