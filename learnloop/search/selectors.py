"""Reads: full-text search and related suggestions, always through the one visibility rule.

The rule (learnloop.accounts.visibility) is translated once into an SQL condition on the index
table (:func:`visibility_condition`), applied *inside* the full-text query so that paging and the
confidence cut-off only ever see documents the user may open. Objects are then loaded through
``Model.objects.visible_to(user)`` as well: a document whose object is gone or hidden is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse

from learnloop.accounts.models import User
from learnloop.accounts.visibility import Viewer, team_ids_of, visibility_sql
from learnloop.core.validation import looks_like_id
from learnloop.search import index
from learnloop.search.sync import KIND_LABELS, KINDS, model_for, raw_cursor, vendor

PAGE_SIZE = 20
MAX_PAGE = 50
RELATED_LIMIT = 5

_URL_NAMES = {
    "incident": "incidents:detail",
    "review": "reviews:detail",
    "lesson": "lessons:detail",
    "deliverable": "debriefs:detail",
    "entry": "debriefs:entry",
    "experiment": "experiments:detail",
    "retro": "retros:detail",
    "drill": "drills:detail",
}


def visibility_condition(user: Viewer) -> tuple[str, list[Any]]:
    """SQL over the index alias ``d`` equivalent to ``visible_q(user)``.

    Same organisation, and either one of the user's teams or organisation-visible.
    Anonymous users and users without an organisation see nothing.
    """
    if not isinstance(user, User) or user.organisation_id is None:
        return "1 = 0", []
    return visibility_sql(vendor(), user.organisation_id, team_ids_of(user))


def _url(kind: str, pk: Any) -> str | None:
    try:
        return reverse(_URL_NAMES[kind], args=[pk])
    except NoReverseMatch:
        return None


@dataclass
class Result:
    kind: str
    object_id: int
    title: str
    url: str | None
    team: str
    external_id: str | None = None
    title_html: str = ""
    snippet_html: str = ""
    confidence: float | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def _docs(doc_ids: list[int]) -> dict[int, tuple[str, str, str | None]]:
    if not doc_ids:
        return {}
    p = index.placeholder(vendor())
    with raw_cursor() as cur:
        cur.execute(
            f"SELECT id, kind, object_id, external_id FROM search_document"
            f" WHERE id IN ({', '.join([p] * len(doc_ids))})",
            doc_ids,
        )
        return {int(r[0]): (r[1], r[2], r[3]) for r in cur.fetchall()}


def _load(user: Viewer, refs: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    """Objects for (kind, object_id) pairs, through the visibility rule, one query per kind."""
    out: dict[tuple[str, str], Any] = {}
    by_kind: dict[str, list[str]] = {}
    for kind, oid in refs:
        by_kind.setdefault(kind, []).append(oid)
    for kind, oids in by_kind.items():
        try:
            model = model_for(kind)
        except LookupError:
            continue
        qs = model.objects.all() if user is None else model.objects.visible_to(user)
        ids = [int(o) for o in oids if looks_like_id(o, signed=True)]
        for obj in qs.filter(pk__in=ids).select_related("team"):
            out[(kind, str(obj.pk))] = obj
    return out


def _title(kind: str, obj: Any) -> str:
    return obj.statement if kind == "lesson" else obj.title


def _clean_kinds(kinds: Any) -> list[str]:
    return [k for k in (kinds or []) if k in KINDS]


@dataclass
class SearchPage:
    results: list[Result]
    page: int
    has_next: bool
    query: str


def search(
    user: Viewer, query: str, filters: dict[str, Any] | None = None, page: int = 1
) -> SearchPage:
    """One page of search results the user may see, best first, with highlighted snippets.

    ``filters``: ``kinds`` (list of "incident"/"review"/"lesson"), ``team`` (team id).
    Any text is safe: the core turns it into quoted words, so nothing can raise a syntax error.
    """
    filters = filters or {}
    page = min(max(1, int(page or 1)), MAX_PAGE)
    query = (query or "")[:10000]
    where, params = visibility_condition(user)
    team = filters.get("team")
    if team:
        where += f" AND d.team_id = {index.placeholder(vendor())}"
        params.append(int(team))
    with raw_cursor() as cur:
        hits = index.search(
            cur,
            vendor(),
            query,
            visibility_sql=where,
            visibility_params=params,
            kinds=_clean_kinds(filters.get("kinds")) or None,
            limit=PAGE_SIZE + 1,
            offset=(page - 1) * PAGE_SIZE,
        )
    has_next = len(hits) > PAGE_SIZE
    hits = hits[:PAGE_SIZE]
    docs = _docs([h.id for h in hits])
    objs = _load(user, [(docs[h.id][0], docs[h.id][1]) for h in hits if h.id in docs])
    results = []
    for h in hits:
        if h.id not in docs:
            continue
        kind, oid, ext = docs[h.id]
        obj = objs.get((kind, oid))
        if obj is None:
            continue
        results.append(
            Result(
                kind=kind,
                object_id=obj.pk,
                title=_title(kind, obj),
                url=_url(kind, obj.pk),
                team=obj.team.name,
                external_id=ext,
                title_html=h.title_html,
                snippet_html=h.snippet_html,
            )
        )
    return SearchPage(results=results, page=page, has_next=has_next, query=query)


def _exclude_doc_ids(exclude: list[tuple[str, Any]]) -> list[int]:
    if not exclude:
        return []
    p = index.placeholder(vendor())
    conds, params = [], []
    for kind, oid in exclude:
        conds.append(f"(kind = {p} AND object_id = {p})")
        params.extend([kind, str(oid)])
    with raw_cursor() as cur:
        cur.execute(f"SELECT id FROM search_document WHERE {' OR '.join(conds)}", params)
        return [int(r[0]) for r in cur.fetchall()]


def related_documents(
    title: str,
    description: str = "",
    *,
    where: str | None,
    params: list[Any],
    exclude: list[tuple[str, Any]] | None = None,
    exclude_external: set[str] | None = None,
    limit: int = RELATED_LIMIT,
    threshold: float | None = None,
) -> list[dict[str, Any]]:
    """Ranked related documents as dicts (kind, object_id, external_id, confidence, reasons).

    An imported file becomes an incident *and* a review with the same external id: each external
    id is listed once (its best-ranked document).
    """
    limit = max(1, min(int(limit), 100))
    exclude_ids = _exclude_doc_ids(exclude or [])
    with raw_cursor() as cur:
        hits = index.related(
            cur,
            vendor(),
            (title or "")[:10000],
            (description or "")[:10000],
            limit=limit * 2 + 4,
            visibility_sql=where,
            visibility_params=params,
            exclude_ids=exclude_ids,
            threshold=threshold,
        )
    docs = _docs([h[0] for h in hits])
    seen: set[str] = set(exclude_external or ())
    out = []
    for doc_id, conf, reasons in hits:
        if doc_id not in docs:
            continue
        kind, oid, ext = docs[doc_id]
        key = ext or f"{kind}:{oid}"
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {
                "kind": kind,
                "object_id": oid,
                "external_id": ext,
                "confidence": conf,
                "reasons": reasons,
            }
        )
        if len(out) >= limit:
            break
    return out


def related(
    user: Viewer,
    title: str,
    description: str = "",
    exclude: list[tuple[str, Any]] | None = None,
    *,
    limit: int = RELATED_LIMIT,
    cache_key: str | None = None,
) -> list[Result]:
    """Past incidents, reviews and lessons about the same failure mechanism, that the user may see.

    Nothing below the confidence threshold is returned: an empty list is the honest answer when
    there is no past lesson. ``exclude``: (kind, id) pairs not to suggest (the page's own object);
    their external ids are excluded too. With ``cache_key`` the ranking (ids, confidence,
    reasons) is kept for ``RELATED_CACHE_SECONDS`` in memory only, never in the shared cache (a
    ranking that names an anonymous report, written to a file at a known time, would bound when
    it was filed; decision 0010); the objects are always loaded again through the visibility
    rule, so a cached ranking never shows what the user may no longer see.

    The ranking is computed once per key and server, by one thread of one worker, and the
    others read it from the server's anonymous shared memory (``core.shared_memory``: memory
    only, no file and no wall-clock time; decisions 0174, 0240). A ranking past its
    ``RELATED_CACHE_SECONDS`` is still served for ``shared.STALE_SECONDS`` while one thread
    computes the next one (decision 0246): the page's text has not changed (the key holds its
    version), only past items indexed since may be missing for one more view.
    """
    if cache_key is not None:
        from learnloop.core import shared_memory as shared

        found = shared.get_or_compute(
            cache_key,
            lambda: _related_found(user, title, description, exclude, limit),
            max_age=RELATED_CACHE_SECONDS,
            stale_for=shared.STALE_SECONDS,
        )
    else:
        found = _related_found(user, title, description, exclude, limit)
    return _related_results(user, found)


RELATED_CACHE_SECONDS = 300


NOT_SUGGESTED = ("retro", "drill")


def _related_found(
    user: Viewer, title: str, description: str, exclude: list[tuple[str, Any]] | None, limit: int
) -> list[dict[str, Any]]:
    where, params = visibility_condition(user)
    # Suggestions stay on failures, experiments and lessons: a retro's cards and a drill's
    # notes are found by search, and what they taught arrives here as their lessons (0167).
    p = index.placeholder(vendor())
    where = f"({where}) AND d.kind NOT IN ({', '.join([p] * len(NOT_SUGGESTED))})"
    params = [*params, *NOT_SUGGESTED]
    exclude = exclude or []
    ext_ids = set()
    for kind, oid in exclude:
        try:
            model = model_for(kind)
        except LookupError:
            continue
        if not any(f.name == "external_id" for f in model._meta.get_fields()):
            continue  # kinds without outside ids (experiments) need no second exclusion
        obj = model.objects.visible_to(user).filter(pk=oid).only("external_id").first()
        if obj is not None and getattr(obj, "external_id", None):
            ext_ids.add(obj.external_id)
    return related_documents(
        title,
        description,
        where=where,
        params=params,
        exclude=exclude,
        exclude_external=ext_ids,
        limit=limit,
    )


def _related_results(user: Viewer, found: list[dict[str, Any]]) -> list[Result]:
    objs = _load(user, [(f["kind"], f["object_id"]) for f in found])
    results = []
    for f in found:
        obj = objs.get((f["kind"], f["object_id"]))
        if obj is None:
            continue
        results.append(
            Result(
                kind=f["kind"],
                object_id=obj.pk,
                title=_title(f["kind"], obj),
                url=_url(f["kind"], obj.pk),
                team=obj.team.name,
                external_id=f["external_id"],
                confidence=f["confidence"],
                reasons=f["reasons"],
            )
        )
    return results
