"""Import reviews from Markdown files with YAML front matter (the corpus format); a Learnloop
JSON export is read by ``json_import``.

Each Markdown file becomes one historical, published review and its incident, both keyed by the
file's ``uuid`` (else the file stem) within the team, so importing again updates instead of
duplicating. A file is imported in its own transaction: a problem anywhere in it leaves nothing
of it behind and is reported as ``path:line: reason`` while the other files import.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from learnloop.accounts.models import Organisation, Team
from learnloop.core.errors import ApplicationError, validation_error_fields
from learnloop.core.models import Visibility
from learnloop.core.tags import tags_set
from learnloop.incidents.models import Incident
from learnloop.incidents.services import incident_errors
from learnloop.reviews.write_checks import title_errors

TITLE_MAX: int = getattr(Incident._meta.get_field("title"), "max_length", None) or 200
DESCRIPTION_MAX: int = getattr(Incident._meta.get_field("description"), "max_length", None) or 20000
BODY_MAX = 200_000
EXTERNAL_ID_MAX = 200
URL_MAX = 500
TAG_MAX = 60
SUMMARY_SECTION = {
    "key": "summary",
    "title": "Summary",
    "type": "rich_text",
    "prompt": "",
    "min_count": 0,
}
INCIDENT_FIELDS = ("title", "description", "kind", "visibility", "started_at", "resolved_at")
# Where in the front matter a field the domain rules name comes from (for path:line).
FRONT_MATTER_KEY_OF = {
    "description": "summary",
    "started_at": "start_time",
    "resolved_at": "end_time",
}
INCIDENT_TEMPLATE_SLUGS = ("incident-review", "incident")
# Front-matter keys kept as provenance (ImportRecord) and written back by the exporter.
FRONT_MATTER_KEYS = (
    "uuid",
    "url",
    "title",
    "start_time",
    "end_time",
    "categories",
    "keywords",
    "company",
    "product",
    "source_published_at",
    "source_fetched_at",
    "archive_url",
    "summary",
)


class FileError(Exception):
    """A problem with one input file, at a line when known (1-based; 0 = the whole file)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


@dataclass
class ParsedFile:
    path: Path
    front: dict[str, Any]
    body: str
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"imported {self.created}, updated {self.updated}, failed {self.failed}"


# --- Reading ----------------------------------------------------------------------------------


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FileError(0, f"cannot read the file ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileError(line, f"not UTF-8 text (byte {exc.start})") from None
    return text.removeprefix("\ufeff")


def parse_markdown(path: Path, text: str | None = None) -> ParsedFile:
    """Split front matter and body; YAML errors carry the line number in the file."""
    text = read_text(path) if text is None else text
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise FileError(1, "no YAML front matter (the file must start with a '---' line)")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise FileError(1, "the front matter is not closed by a '---' line") from None
    block = "\n".join(lines[1:end])
    try:
        front = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FileError(line, f"YAML error: {problem}") from None
    if not isinstance(front, dict):
        raise FileError(2, "the front matter is not a list of 'key: value' lines")
    key_lines = {}
    for i in range(1, end):
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", lines[i])
        if match:
            key_lines.setdefault(match.group(1), i + 1)
    key_lines["__body__"] = end + 2
    body = "\n".join(lines[end + 1 :]).strip()
    return ParsedFile(
        path=path, front={str(k): v for k, v in front.items()}, body=body, key_lines=key_lines
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return re.sub(r"[ \t]+", " ", str(value)).strip()


def _list(parsed: ParsedFile, key: str) -> list[str]:
    value = parsed.front.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        items = [_text(v) for v in value if _text(v)]
    elif isinstance(value, dict):
        raise FileError(parsed.line_of(key), f"{key}: expected a list of words")
    else:
        items = [_text(value)]
    for item in items:
        if len(item) > TAG_MAX:
            raise FileError(
                parsed.line_of(key), f"{key}: “{item[:30]}…” is longer than {TAG_MAX} characters"
            )
    return items


def _datetime(parsed: ParsedFile, key: str) -> dt.datetime | None:
    value = parsed.front.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime(value.year, value.month, value.day)
    else:
        raw = str(value).strip()
        try:
            result = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise FileError(
                parsed.line_of(key), f"{key}: not a date and time ({raw[:40]!r}); use ISO 8601"
            ) from None
    if timezone.is_naive(result):
        result = result.replace(tzinfo=dt.UTC)
    return result


def first_sentence(text: str, limit: int = TITLE_MAX) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"[#*_>`\[\]]", "", text)).strip()
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = (match.group(1) if match else text).rstrip(".")
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def first_paragraph(text: str) -> str:
    for block in re.split(r"\n\s*\n", text.strip()):
        if block.strip():
            return block.strip()
    return ""


@dataclass
class ReviewItem:
    """What one Markdown file says, validated, before anything touches the database."""

    external_id: str
    title: str
    description: str
    body: str
    url: str
    started_at: dt.datetime | None
    resolved_at: dt.datetime | None
    published_at: dt.datetime | None
    tags: list[str]
    front_matter: dict[str, Any]
    parsed: ParsedFile


def item_from_file(parsed: ParsedFile) -> ReviewItem:
    front = parsed.front
    external_id = _text(front.get("uuid")) or parsed.path.stem
    if len(external_id) > EXTERNAL_ID_MAX:
        raise FileError(parsed.line_of("uuid"), f"uuid: longer than {EXTERNAL_ID_MAX} characters")
    title = _text(front.get("title"))
    summary = str(front.get("summary") or "").strip()
    body = parsed.body
    if not title and not summary and not body:
        raise FileError(1, "nothing to import: no title, no summary and no body")
    if not title:
        title = first_sentence(summary or body) or " ".join(
            p for p in (_text(front.get("company")), _text(front.get("product"))) if p
        )
    if not title:
        raise FileError(1, "no title, and none can be made from the summary or body")
    if len(title) > TITLE_MAX:
        raise FileError(
            parsed.line_of("title"),
            f"title: too long ({len(title)} characters, at most {TITLE_MAX})",
        )
    description = summary or first_paragraph(body) or title
    if len(description) > DESCRIPTION_MAX:
        raise FileError(
            parsed.line_of("summary" if summary else "title"),
            f"summary: too long ({len(description)} characters, at most {DESCRIPTION_MAX})",
        )
    url = _text(front.get("url"))
    if url and not re.fullmatch(r"https?://\S+", url):
        # Some sources put Markdown around the link ("a), [see also](b"): keep the first link.
        found = re.search(r"https?://[^\s()\[\]<>]+", url)
        url = found.group(0) if found else url
    if url:
        try:
            if len(url) > URL_MAX:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise FileError(
                parsed.line_of("url"),
                f"url: not a valid http(s) link of at most {URL_MAX} characters",
            ) from None
    started_at = _datetime(parsed, "start_time")
    resolved_at = _datetime(parsed, "end_time")
    published_at = _datetime(parsed, "source_published_at")
    _datetime(parsed, "source_fetched_at")
    tags = []
    seen = set()
    for name in _list(parsed, "categories") + _list(parsed, "keywords"):
        if name.lower() not in seen:
            seen.add(name.lower())
            tags.append(name)
    kept = {}
    for key in FRONT_MATTER_KEYS:
        if key in front and front[key] is not None:
            value = front[key]
            if key in ("categories", "keywords"):
                value = _list(parsed, key)
            elif not isinstance(value, str):
                value = _text(value)
            kept[key] = value
    # Keep the title and summary as imported (derived when missing) so an export reads back
    # to the same record.
    kept["title"] = title
    kept["summary"] = summary or description
    return ReviewItem(
        external_id=external_id,
        title=title,
        description=description,
        body=body,
        url=url,
        started_at=started_at,
        resolved_at=resolved_at,
        published_at=published_at or resolved_at or started_at,
        tags=tags,
        front_matter=kept,
        parsed=parsed,
    )


# --- Writing ----------------------------------------------------------------------------------


DEFAULT_ORGANISATION = ("Learnloop", "learnloop")


def resolve_organisation(slug: str | None, *, create: bool = False) -> tuple[Organisation, bool]:
    """The organisation with ``slug``, else the first one; on an empty install (with
    ``create``), a new one.

    Creating it lets ``learnloop migrate && learnloop import ...`` work on a fresh data dir
    (for example to evaluate related suggestions); ``createadmin`` later joins it.
    """
    if slug:
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            raise ApplicationError(f"No organisation with slug {slug!r}.")
        return org, False
    org = Organisation.objects.order_by("id").first()
    if org is not None:
        return org, False
    if not create:
        raise ApplicationError("There is no organisation yet: run `learnloop createadmin` first.")
    name, default_slug = DEFAULT_ORGANISATION
    return Organisation.objects.create(name=name, slug=default_slug), True


def resolve_team(organisation: Organisation, name: str) -> tuple[Team, bool]:
    """The team named (or with the slug) ``name``, created if missing."""
    name = name.strip()
    if not name or len(name) > 120:
        raise ApplicationError("--team: give a team name of at most 120 characters.")
    team = (
        Team.objects.filter(organisation=organisation, slug=name).first()
        or Team.objects.filter(organisation=organisation, name__iexact=name).first()
    )
    if team is not None:
        return team, False
    base = slugify(name)[:56] or "team"
    slug, n = base, 2
    while Team.objects.filter(organisation=organisation, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return Team.objects.create(organisation=organisation, name=name, slug=slug), True


def incident_review_sections() -> tuple[Any, list[dict[str, Any]], str]:
    """The shipped incident review template's sections (if installed) and the key of the
    rich-text section that receives the body; else a single "summary" section."""
    from learnloop.reviews.models import ReviewTemplate

    template = (
        ReviewTemplate.objects.filter(is_shipped=True, slug__in=INCIDENT_TEMPLATE_SLUGS)
        .order_by("id")
        .first()
    )
    if template and isinstance(template.sections, list):
        rich = [
            s for s in template.sections if isinstance(s, dict) and s.get("type") == "rich_text"
        ]
        if rich:
            key = next((s["key"] for s in rich if s.get("key") == "summary"), rich[0].get("key"))
            if key:
                return template, template.sections, key
    return None, [dict(SUMMARY_SECTION)], "summary"


def _full_clean(obj: Any, exclude: list[str], line: int) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        fields = validation_error_fields(exc)
        name, messages = next(iter(fields.items()))
        raise FileError(line, f"{name}: {messages[0]}") from None


def check_fields(errors: dict[str, list[str]]) -> None:
    """Refuse what a domain rule refused (the first problem names its field)."""
    errors = {name: messages for name, messages in errors.items() if messages}
    if errors:
        raise ApplicationError("Refused by a domain rule.", fields=errors)


def import_review_item(
    item: ReviewItem, *, team: Team, visibility: str, path_label: str = ""
) -> bool:
    """Create or update the incident and review of one file; returns True when created.

    Runs in one transaction: the incident is written first, so a later failure (the review,
    the provenance record) must and does roll it back.
    """
    from learnloop.incidents.models import Kind
    from learnloop.lessons.models import ImportRecord
    from learnloop.reviews.models import Review, Status

    with transaction.atomic():
        incident = Incident.objects.filter(
            team=team, external_source="", external_id=item.external_id
        ).first()
        created = incident is None
        incident = incident or Incident(team=team, external_id=item.external_id)
        incident.title = item.title
        incident.description = item.description
        incident.kind = Kind.SERVICE_INCIDENT
        incident.visibility = visibility
        incident.source_url = item.url
        incident.started_at = item.started_at
        incident.resolved_at = item.resolved_at
        # The incidents' own rules (times in range and in order, kind, texts), as reporting.
        check_fields(
            incident_errors(
                {name: getattr(incident, name) for name in INCIDENT_FIELDS},
                team.organisation,
                history=True,
            )
        )
        _full_clean(incident, ["team", "reporter", "tags"], item.parsed.line_of("title"))
        incident.save()
        tags_set(incident, item.tags)

        if len(item.body) > BODY_MAX:
            raise FileError(
                item.parsed.line_of("__body__"),
                f"body: too long ({len(item.body)} characters, at most {BODY_MAX})",
            )
        review = Review.objects.filter(team=team, external_id=item.external_id).first()
        created = created or review is None
        template, sections, key = incident_review_sections()
        if review is None:
            review = Review(team=team, external_id=item.external_id, template=template)
            review.sections = sections
            review.content = {}
        content = dict(review.content or {})
        content[key] = item.body
        review.content = content
        review.incident = incident
        review.title = item.title
        review.status = Status.PUBLISHED
        review.is_historical = True
        review.visibility = visibility
        review.published_at = item.published_at or review.published_at or timezone.now()
        check_fields({"title": title_errors(review.title)})
        _full_clean(review, ["team", "incident", "template", "created_by", "participants"], 1)
        review.save()

        ImportRecord.objects.update_or_create(
            team=team,
            external_id=item.external_id,
            defaults={
                "incident": incident,
                "review": review,
                "front_matter": item.front_matter,
                "path": path_label[:1000],
            },
        )
    return created


def import_markdown_file(path: Path, *, team: Team, visibility: str = Visibility.TEAM) -> bool:
    """Parse, validate and import one file. Raises FileError; returns True when created."""
    parsed = parse_markdown(path)
    item = item_from_file(parsed)
    try:
        return import_review_item(item, team=team, visibility=visibility, path_label=str(path))
    except ApplicationError as exc:
        if exc.fields:
            name, messages = next(iter(exc.fields.items()))
            line = parsed.line_of(FRONT_MATTER_KEY_OF.get(name, name))
            raise FileError(line, f"{name}: {messages[0]}") from None
        raise FileError(0, exc.message) from None


def expand_paths(paths: list[str]) -> list[Path]:
    """Files as given; directories are searched recursively for *.md (sorted, stable)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        else:
            out.append(path)
    return out
