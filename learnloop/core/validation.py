"""One validation helper per kind of value (docs/decisions/0012-input-validation.md).

Every number, id, page, text and date that arrives from outside (query string, form, JSON
body, URL) goes through one of these, so the same input gets the same answer everywhere:

* **numbers** are ASCII digits only (``[0-9]+``, an optional ``-`` where negatives make sense):
  ``"¹"`` passes ``str.isdigit()`` and ``"٣"`` passes ``int()``, neither is a number here;
* **ids** fit a 64-bit signed column (the database's own limit; larger is "not found", not a
  crash);
* **text** holds no NUL character and no lone surrogate (neither can be stored in PostgreSQL
  nor encoded as UTF-8): it is refused, naming the field, never silently stripped;
* **dates and times** lie in years 1900–2200 (far enough for any incident, action or meeting;
  near enough that converting between time zones and adding days cannot overflow).

Each helper raises :class:`~learnloop.core.errors.ApplicationError` with a per-field message,
which web views show next to the field and the API answers as a 400 in the one error shape.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from learnloop.core.errors import ApplicationError

#: The largest value a 64-bit signed integer column holds (SQLite INTEGER, PostgreSQL bigint).
MAX_ID = 2**63 - 1
#: The deepest page any list serves (web and API); deeper asks are refused, naming ``page``.
MAX_PAGE = 100_000
#: Supported years for every date and time (a clear message beyond, never an overflow).
MIN_YEAR, MAX_YEAR = 1900, 2200
#: Imported history may be older (the corpus holds the Vasa's sinking in 1628); decision 0053.
MIN_HISTORY_YEAR = 1000

_SIGNED = re.compile(r"-?[0-9]+")
# A NUL, or a UTF-16 surrogate code point standing alone (JSON "\ud800" decodes to one).
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


def _fail(field: str, message: str, summary: str | None = None) -> ApplicationError:
    return ApplicationError(
        summary or f"{field}: {message[0].lower()}{message[1:]}", fields={field: [message]}
    )


# --- numbers and ids ----------------------------------------------------------------------


def parse_int(
    value: Any,
    field: str,
    *,
    minimum: int = -MAX_ID,
    maximum: int = MAX_ID,
    default: int | None = None,
) -> int:
    """An integer from an int or a string of ASCII digits (optionally ``-``), within
    ``[minimum, maximum]``; empty gives ``default`` when one is set."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is not None:
            return default
        raise _fail(field, "Enter a whole number.")
    if isinstance(value, bool):
        raise _fail(field, "Enter a whole number.")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not _SIGNED.fullmatch(text):
            raise _fail(field, "Enter a whole number (digits 0–9).")
        if len(text) > 20:  # longer than any 64-bit number: no need to build it
            raise _fail(field, f"Enter a number between {minimum} and {maximum}.")
        number = int(text)
    if not minimum <= number <= maximum:
        raise _fail(field, f"Enter a number between {minimum} and {maximum}.")
    return number


def fits_bigint(value: int) -> bool:
    """Can a 64-bit signed id column (SQLite INTEGER, PostgreSQL bigint) hold ``value``
    (−2⁶³ … 2⁶³−1)? Outside it no row has that id: readers that bypass the ORM's own lookup
    answer "not found" without asking the database, whose driver would overflow (a 500)."""
    return -MAX_ID - 1 <= value <= MAX_ID


def parse_id(value: Any, field: str) -> int:
    """A database id: 1 … 2⁶³−1."""
    return parse_int(value, field, minimum=1, maximum=MAX_ID)


def int_or_none(value: Any, *, minimum: int = -MAX_ID, maximum: int = MAX_ID) -> int | None:
    """:func:`parse_int` for lenient readers (web filters): None instead of an error."""
    try:
        return parse_int(value, "value", minimum=minimum, maximum=maximum)
    except ApplicationError:
        return None


def id_or_none(value: Any, *, signed: bool = False) -> int | None:
    """The id ``value`` names (``signed``: incident ids, which may be negative), or None when
    it cannot name one — a lookup with None then finds nothing."""
    return int_or_none(value, minimum=-MAX_ID if signed else 1)


def looks_like_id(value: Any, *, signed: bool = False) -> bool:
    """True for an int or ASCII digits that fit an id column: "id or slug" parameters use it
    to decide which one they were given (``"¹"`` is a slug, and matches none)."""
    return id_or_none(value, signed=signed) is not None


def parse_page(value: Any) -> int:
    """A web list's page number: a missing or unreadable page is 1, a page past MAX_PAGE is
    MAX_PAGE (Django's ``get_page`` then shows the last page). The API refuses both instead
    (``api/types.Page``: 422 naming ``page``)."""
    number = id_or_none(value)
    return 1 if number is None else min(number, MAX_PAGE)


# --- text ---------------------------------------------------------------------------------


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored, or None."""
    match = _BAD_TEXT.search(value)
    if match is None:
        return None
    if match.group() == "\x00":
        return "Remove the NUL character (\\0); text cannot contain it."
    return "Remove the invalid character (a lone UTF-16 surrogate); text cannot contain it."


def clean_text(value: Any, field: str) -> str:
    """``value`` as text, refusing NUL characters and lone surrogates (naming the field)."""
    text = "" if value is None else str(value)
    problem = text_problem(text)
    if problem:
        raise _fail(field, problem, "Check the marked field: " + field + ".")
    return text


def find_bad_json_value(data: Any, path: str = "") -> tuple[str, str] | None:
    """The first ``(field path, problem)`` in a decoded JSON value — a key or string holding
    a NUL or lone surrogate, or a number beyond a 64-bit integer, at any depth, e.g.
    ``("tags.0", ...)`` — or None when everything can be stored."""
    if isinstance(data, str):
        problem = text_problem(data)
        return (path or "__all__", problem) if problem else None
    if isinstance(data, int | float) and not isinstance(data, bool):
        if not -MAX_ID <= data <= MAX_ID:
            return (path or "__all__", f"Enter a number between {-MAX_ID} and {MAX_ID}.")
        return None
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            problem = text_problem(str(key))
            if problem:
                return (path or "__all__", problem)
            found = find_bad_json_value(value, where)
            if found:
                return found
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found = find_bad_json_value(value, f"{path}.{i}" if path else str(i))
            if found:
                return found
    return None


def check_json_values(data: Any) -> None:
    """Raise, naming the field, for the first value :func:`find_bad_json_value` finds."""
    found = find_bad_json_value(data)
    if found:
        field, problem = found
        raise _fail(field, problem, "Check the marked field: " + field + ".")


def unknown_field_message(name: str, known: Iterable[str], *, kind: str = "field") -> str:
    """What an input field (or query parameter: ``kind="parameter"``) that is not taken says
    (decision 0235): the known name it looks like a misspelling of (``titel`` → ``title``),
    else the names that are taken."""
    names = sorted(set(known))
    close = difflib.get_close_matches(str(name), names, n=1, cutoff=0.6)
    if close:
        return f'Unknown {kind}; did you mean "{close[0]}"?'
    if names:
        return f"Unknown {kind}; the {kind}s here are {', '.join(names)}."
    return f"Unknown {kind}; this request takes none."


def local_path_or_none(value: Any, host: str) -> str | None:
    """``value`` when it is a path on this site ("/..."; not "//host" nor a scheme), for
    ``?next=`` redirects; None otherwise — a bare word would be read as a view name."""
    from django.utils.http import url_has_allowed_host_and_scheme

    text = "" if value is None else str(value)
    if not text.startswith("/") or text_problem(text):
        return None
    return text if url_has_allowed_host_and_scheme(text, allowed_hosts={host}) else None


# --- dates and times ----------------------------------------------------------------------


def datetime_range_problem(
    value: dt.datetime | dt.date | None, *, earliest: int = MIN_YEAR
) -> str | None:
    """Why ``value`` is outside years ``earliest``–MAX_YEAR (checked as given and in UTC, so a
    far offset cannot carry it over the edge), or None."""
    if value is None:
        return None
    years = {value.year}
    if isinstance(value, dt.datetime) and value.utcoffset():
        try:
            years.add((value.replace(tzinfo=None) - value.utcoffset()).year)
        except OverflowError:  # past year 9999 or before year 1 in UTC
            years.add(MAX_YEAR + 1 if value.year > MAX_YEAR else earliest - 1)
    if min(years) < earliest or max(years) > MAX_YEAR:
        return f"Enter a date between {earliest} and {MAX_YEAR}."
    return None


def check_datetime_range(value: dt.datetime | dt.date | None, field: str) -> None:
    """Refuse a date or time outside years MIN_YEAR–MAX_YEAR, naming ``field``."""
    problem = datetime_range_problem(value)
    if problem:
        raise _fail(field, problem)


def parse_datetime_in_range(
    value: Any, field: str, *, example: str = "2030-05-17T14:00"
) -> dt.datetime | None:
    """An aware datetime from a datetime or an ISO string (a time without a zone is in the
    display time zone), in years MIN_YEAR–MAX_YEAR; empty gives None."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        parsed: dt.datetime | None = value
    else:
        text = clean_text(value, field).strip()
        try:
            parsed = parse_datetime(text.replace(" ", "T", 1) if "T" not in text else text)
        except (ValueError, OverflowError):
            parsed = None
        if parsed is None:
            raise _fail(field, f"Enter a valid date and time, e.g. {example}.")
    check_datetime_range(parsed, field)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
    return parsed


def parse_date_in_range(value: Any, field: str) -> dt.date | None:
    """A date from a date, a datetime or ``YYYY-MM-DD``, in years MIN_YEAR–MAX_YEAR; empty
    gives None."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        parsed: dt.date | None = value.date()
    elif isinstance(value, dt.date):
        parsed = value
    else:
        try:
            parsed = parse_date(clean_text(value, field).strip())
        except ValueError:
            parsed = None
        if parsed is None:
            raise _fail(field, "Enter a date as YYYY-MM-DD.")
    check_datetime_range(parsed, field)
    return parsed
