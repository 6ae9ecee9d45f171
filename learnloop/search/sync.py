"""Keep the search index exactly in step with incidents, reviews and lessons.

Why signals: every write path (services, admin, imports, cascades) goes through the ORM, and
``post_save``/``post_delete`` run inside the caller's transaction. They only mark the object as
pending; each pending document is written once, just before the transaction commits (or
before any read of the index in it), so the index row is written or removed in the same
transaction as the object and rolls back with it (decision 0073). The SQLite FTS5 index
follows the ``search_document`` row through triggers; PostgreSQL's tsvector is a generated
column; neither can drift from the row.

Lessons also call ``learnloop.lessons.hooks`` after their tags are set (tags are saved after the
row, so ``post_save`` alone would index the old tags).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from learnloop.core.deferral import collecting, collector
from learnloop.search import dense, index

KINDS = ("incident", "review", "lesson", "deliverable", "entry", "experiment", "retro", "drill")
KIND_LABELS = {
    "incident": "Incident",
    "review": "Review",
    "lesson": "Lesson",
    "deliverable": "Deliverable",
    "entry": "Debrief entry",
    "experiment": "Experiment",
    "retro": "Retrospective",
    "drill": "Drill",
}


@contextmanager
def raw_cursor() -> Iterator[Any]:
    """The driver's own cursor (sqlite3 or psycopg) for the default connection.

    The core builds SQL with the driver's placeholders; Django's debug cursor wrapper would try
    to %-format it for logging, so we go one level down (still the same connection and
    transaction).
    """
    flush()  # a read (or raw write) sees this transaction's pending documents
    with connection.cursor() as cur:
        yield cur.cursor


def vendor() -> str:
    return connection.vendor


def _text_of(value: Any) -> Iterator[str]:
    """Every string inside a review's JSON content, in order."""
    if isinstance(value, str):
        if value.strip():
            yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _text_of(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _text_of(v)


def _tag_names(obj: Any) -> list[str]:
    if obj.pk is None:
        return []
    return [t.name for t in obj.tags.all()]


def document_for(kind: str, obj: Any) -> dict[str, Any]:
    """The index fields of one object: title, summary, keywords, body, team, visibility."""
    common = {
        "kind": kind,
        "object_id": obj.pk,
        "team_id": obj.team_id,
        "visibility": obj.visibility,
        "external_id": getattr(obj, "external_id", None) or None,
        "created_at": obj.created_at.isoformat()
        if vendor() == "sqlite" and obj.created_at
        else obj.created_at,
        # An anonymous report's random id, not the next in sequence: neighbouring rows have
        # exact times (docs/decisions/0010-anonymous-reports.md).
        "doc_id": obj.pk if getattr(obj, "is_anonymous", False) else None,
    }
    if kind == "incident":
        return {
            **common,
            "title": obj.title,
            "keywords": ", ".join(_tag_names(obj)),
            "body": obj.description or "",
        }
    if kind == "review":
        # A review is about its incident: the incident's short account is the review's summary
        # and its tags are the review's keywords; everything written in the review is the body.
        content = obj.content if isinstance(obj.content, dict) else {}
        incident = obj.incident if obj.incident_id else None
        own_summary = content.get("summary") if isinstance(content.get("summary"), str) else ""
        if incident is not None and incident.description:
            summary, rest = incident.description, content
        else:
            summary, rest = own_summary, {k: v for k, v in content.items() if k != "summary"}
        keywords = _tag_names(incident) if incident is not None else []
        return {
            **common,
            "title": obj.title,
            "summary": summary,
            "keywords": ", ".join(keywords),
            "body": "\n\n".join(_text_of(rest)),
        }
    if kind == "lesson":
        return {
            **common,
            "title": obj.statement,
            "keywords": ", ".join(_tag_names(obj)),
            "body": obj.context or "",
        }
    if kind == "deliverable":
        return {**common, "title": obj.title, "body": obj.description or ""}
    if kind == "entry":
        # A debrief entry is short: its first line is its title, the deliverable its summary.
        return {
            **common,
            "title": obj.title,
            "summary": obj.deliverable.title,
            "body": obj.text or "",
        }
    if kind == "experiment":
        return {**common, **_experiment_fields(obj)}
    if kind == "retro":
        # Retros are for their team only, whatever the row says (the pages 404 for others).
        return {**common, "visibility": "team", **_retro_fields(obj)}
    if kind == "drill":
        return {**common, **_drill_fields(obj)}
    raise ValueError(f"unknown kind {kind!r}")


def _experiment_fields(obj: Any) -> dict[str, Any]:
    """A test card (or efficiency change): its hypothesis is the summary; the test, metric,
    success criterion, riskiest assumption and every learning card's text are the body."""
    parts = [obj.test, obj.metric, obj.success_criterion, obj.riskiest_assumption]
    if obj.pk is not None:
        for card in obj.learning_cards.all():
            parts += [card.observed, card.learned]
    return {
        "title": obj.title,
        "summary": obj.hypothesis or "",
        "body": "\n\n".join(p for p in parts if p),
    }


def _retro_fields(obj: Any) -> dict[str, Any]:
    """A retro: its title; topic names and notes; card texts only once they are revealed (no
    search may show a card while writing is blind). Never a card's author."""
    parts: list[str] = []
    if obj.pk is not None:
        for topic in obj.topics.all():
            parts += [topic.title, topic.notes]
        if obj.phase != "collect":
            parts += [card.text for card in obj.cards.all()]
    return {"title": obj.title, "body": "\n\n".join(p for p in parts if p)}


def _drill_fields(obj: Any) -> dict[str, Any]:
    """A drill: the scenario is the summary; what happened, the after-action review's answers
    and the findings are the body."""
    parts = [obj.what_happened, *_text_of(obj.after_action or {})]
    if obj.pk is not None:
        parts += [finding.text for finding in obj.findings.all()]
    return {
        "title": obj.title,
        "summary": obj.scenario or "",
        "body": "\n\n".join(p for p in parts if p),
    }


# ------------------------------------------------------------------ deferred indexing
#
# A write marks (kind, pk) as pending; each document is written once, just before the
# transaction commits (``learnloop/core/commit_hooks.py``), with the dense vectors of all of
# them computed in one batch. Every read of the index (``raw_cursor``) writes the pending
# documents first, so a search in the same transaction sees its own writes. Outside a
# transaction (autocommit) the document is written at once. decision 0073.

_PENDING = "learnloop_search_pending"
#: Everything written early (for a read) in the open transaction: a rollback to a savepoint
#: may undo those writes, so they are checked again at the commit.
_WRITTEN = "learnloop_search_written"
#: Follow-on documents: an incident's text is part of its reviews', a deliverable's title of
#: its entries'. (kind, model of the followers, their foreign key to the leader)
_FOLLOWERS = {"incident": ("review", "incident_id"), "deliverable": ("entry", "deliverable_id")}
#: Leaders first, so their followers are collected before those kinds are written.
_ORDER = ("incident", "deliverable", "review", "entry", "lesson", "experiment", "retro", "drill")


def _pending(conn: Any) -> dict[str, set[Any]]:
    pending = getattr(conn, _PENDING, None)
    if pending is None:
        pending = {}
        setattr(conn, _PENDING, pending)
    return pending


def _written(conn: Any) -> dict[str, set[Any]]:
    written = getattr(conn, _WRITTEN, None)
    if written is None:
        written = {}
        setattr(conn, _WRITTEN, written)
    return written


def _in_transaction(conn: Any) -> bool:
    return bool(conn.in_atomic_block or not conn.get_autocommit())


def schedule(kind: str, object_id: Any) -> None:
    """Bring ``(kind, object_id)``'s document in step with the database: once, just before
    the current transaction commits (at once outside a transaction). A row that no longer
    exists by then loses its document."""
    if object_id is None:
        return
    conn = transaction.get_connection()
    if _in_transaction(conn):
        _pending(conn).setdefault(kind, set()).add(object_id)
    else:
        _write({kind: {object_id}})


def pending_count() -> int:
    """Documents waiting for the commit on this connection (for tests and diagnostics)."""
    return sum(len(v) for v in _pending(transaction.get_connection()).values())


def flush(conn: Any = None) -> int:
    """Write every pending document now, inside the current transaction; return how many."""
    conn = conn if conn is not None else transaction.get_connection()
    pending = _pending(conn)
    early = _written(conn) if _in_transaction(conn) else None
    written = 0
    while pending:
        batch = {kind: set(ids) for kind, ids in pending.items()}
        pending.clear()
        if early is not None:
            for kind, ids in batch.items():
                early.setdefault(kind, set()).update(ids)
        written += _write(batch)
    return written


def flush_for_commit(conn: Any) -> None:
    """Just before the commit: the last pending documents; nothing is early any more."""
    flush(conn)
    _written(conn).clear()


def discard(conn: Any) -> None:
    """The transaction rolled back: its pending documents go with it."""
    _pending(conn).clear()
    _written(conn).clear()


def recheck(conn: Any) -> None:
    """A savepoint rolled back: documents written early may have been undone with it, so every
    one of them is brought in step again (idempotent) before the commit."""
    pending = _pending(conn)
    for kind, ids in _written(conn).items():
        pending.setdefault(kind, set()).update(ids)


def with_parts(kind: str, qs: Any) -> Any:
    """``qs`` fetching what ``document_for`` reads of each row in a few queries, not per row."""
    if kind in ("incident", "lesson"):
        qs = qs.prefetch_related("tags")
    if kind == "review":
        qs = qs.select_related("incident").prefetch_related("incident__tags")
    if kind == "entry":
        qs = qs.select_related("deliverable")
    if kind == "experiment":
        qs = qs.prefetch_related("learning_cards")
    if kind == "retro":
        qs = qs.prefetch_related("topics", "cards")
    if kind == "drill":
        qs = qs.prefetch_related("findings")
    return qs


def _objects(kind: str, ids: set[Any]) -> dict[str, Any]:
    qs = with_parts(kind, model_for(kind)._base_manager.filter(pk__in=ids))
    return {str(obj.pk): obj for obj in qs}


def _write(batch: dict[str, set[Any]]) -> int:
    """Upsert (or delete) the documents of ``batch`` and their followers; vectors in one go."""
    for leader, (follower, fk) in _FOLLOWERS.items():
        ids = batch.get(leader)
        if not ids:
            continue
        try:
            model = model_for(follower)
        except LookupError:
            continue
        more = model._base_manager.filter(**{f"{fk}__in": ids}).values_list("pk", flat=True)
        batch.setdefault(follower, set()).update(more)
    to_embed: list[tuple[int, list[str]]] = []
    written = 0
    with connection.cursor() as wrapped:
        cur = wrapped.cursor
        for kind in sorted(batch, key=lambda k: _ORDER.index(k) if k in _ORDER else len(_ORDER)):
            ids = batch.get(kind)
            if not ids:
                continue
            found = _objects(kind, ids)
            for object_id in sorted({str(i) for i in ids}):
                obj = found.get(object_id)
                if obj is None:
                    index.delete_document(cur, vendor(), kind=kind, object_id=object_id)
                    continue
                doc = document_for(kind, obj)
                doc_id = index.upsert_document(cur, vendor(), embed=False, **doc)
                to_embed.append((doc_id, dense_chunks(doc)))
                written += 1
        _embed(cur, to_embed)
    return written


def dense_chunks(doc: dict[str, Any]) -> list[str]:
    """The texts the dense stage embeds for one document (as ``index.upsert_document`` would)."""
    cleaned = [
        index._clean(doc.get(f, "") if isinstance(doc.get(f, ""), str) else ", ".join(doc[f]))
        for f in ("title", "summary", "keywords", "body")
    ]
    return dense.chunks(*cleaned)


def _embed(cur: Any, docs: list[tuple[int, list[str]]]) -> None:
    """Every document's vectors from one batched ``dense.encode`` call (or, inside
    :func:`vectors_later`, the ids kept for the ``search.embed`` job)."""
    if not docs or not dense.enabled():
        return
    later = collector(_LATER)
    if later is not None:
        # An anonymous report's document id is its random id: it stays out of job arguments.
        later.extend(doc_id for doc_id, _ in docs if doc_id > 0)
        docs = [(doc_id, chunks) for doc_id, chunks in docs if doc_id <= 0]
        if not docs:
            return
    texts = [t for _, chunks in docs for t in chunks]
    vectors = dense.encode(texts)
    start = 0
    for doc_id, chunks in docs:
        dense.store(cur, vendor(), doc_id, vectors[start : start + len(chunks)])
        start += len(chunks)


_LATER = "learnloop_search_vectors_later"
#: Documents per ``search.embed`` job.
EMBED_BATCH = 64


@contextmanager
def vectors_later() -> Iterator[list[int]]:
    """Bulk writes (``learnloop import``): inside this block documents are written without their
    dense vectors; at its end their ids are queued for the ``search.embed`` job, which computes
    them in batches in the background worker (``learnloop/search/jobs.py``). Until then related
    suggestions score those documents lexically, as they do seeded ones (decision 0074)."""
    with collecting(_LATER) as ids:
        yield ids
    queue_vectors(ids)


def queue_vectors(doc_ids: list[int]) -> None:
    """Queue ``search.embed`` jobs for these documents (``EMBED_BATCH`` per job)."""
    from learnloop.tasks.registry import enqueue

    unique = sorted(set(doc_ids))
    for start in range(0, len(unique), EMBED_BATCH):
        enqueue("search.embed", args={"doc_ids": unique[start : start + EMBED_BATCH]})


def embed_documents(doc_ids: list[int]) -> int:
    """Compute and store the dense vectors of these documents now; return how many."""
    if not doc_ids or not dense.enabled():
        return 0
    p = index.placeholder(vendor())
    with transaction.atomic(), raw_cursor() as cur:
        cur.execute(
            "SELECT id, title, summary, keywords, body FROM search_document"
            f" WHERE id IN ({', '.join([p] * len(doc_ids))})",
            list(doc_ids),
        )
        docs = [(int(r[0]), dense.chunks(r[1], r[2], r[3], r[4])) for r in cur.fetchall()]
        texts = [t for _, chunks in docs for t in chunks]
        vectors = dense.encode(texts) if texts else []
        start = 0
        for doc_id, chunks in docs:
            dense.store(cur, vendor(), doc_id, vectors[start : start + len(chunks)])
            start += len(chunks)
    return len(docs)


def index_object(kind: str, obj: Any, *, follow: bool = True) -> None:
    """Upsert ``obj``'s document now, inside the current transaction (``reindex``).

    Writes go through :func:`schedule` instead, so each document is written once per
    transaction.
    """
    if follow:
        _write({kind: {obj.pk}})
        return
    with transaction.atomic(), connection.cursor() as wrapped:
        doc = document_for(kind, obj)
        doc_id = index.upsert_document(wrapped.cursor, vendor(), embed=False, **doc)
        _embed(wrapped.cursor, [(doc_id, dense_chunks(doc))])


def unindex(kind: str, object_id: Any) -> None:
    with transaction.atomic(), connection.cursor() as wrapped:
        index.delete_document(wrapped.cursor, vendor(), kind=kind, object_id=object_id)


def model_for(kind: str) -> Any:
    label = {
        "incident": "incidents.Incident",
        "review": "reviews.Review",
        "lesson": "lessons.Lesson",
        "deliverable": "debriefs.Deliverable",
        "entry": "debriefs.DebriefEntry",
        "experiment": "experiments.Experiment",
        "retro": "retros.Retro",
        "drill": "drills.Drill",
    }
    return apps.get_model(label[kind])


def reindex(kinds: Iterable[str] = KINDS, *, batch: int = 500) -> dict[str, int]:
    """Rebuild every document from the database (recovery, or after a lexicon change)."""
    counts = {}
    for kind in kinds:
        try:
            model = model_for(kind)
        except LookupError:
            continue
        n = 0
        with transaction.atomic():
            with raw_cursor() as cur:
                cur.execute(
                    f"DELETE FROM search_document WHERE kind = {index.placeholder(vendor())}",
                    [kind],
                )
            qs = with_parts(kind, model.objects.all().order_by("pk"))
            for obj in qs.iterator(chunk_size=batch):
                index_object(kind, obj, follow=False)
                n += 1
        counts[kind] = n
    with raw_cursor() as cur:
        index.check_integrity(cur, vendor())
    return counts


# ------------------------------------------------------------------------------- receivers


def _saved(kind: str) -> Callable[..., None]:
    def receiver(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw:  # fixtures: reindex afterwards
            return
        schedule(kind, instance.pk)

    receiver.__name__ = f"search_{kind}_saved"
    return receiver


def _deleted(kind: str) -> Callable[..., None]:
    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        schedule(kind, instance.pk)

    receiver.__name__ = f"search_{kind}_deleted"
    return receiver


def _tags_changed(kind: str) -> Callable[..., None]:
    def receiver(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
        if action not in ("post_add", "post_remove", "post_clear") or reverse:
            return
        schedule(kind, instance.pk)

    receiver.__name__ = f"search_{kind}_tags_changed"
    return receiver


_RECEIVERS: list[Any] = []  # strong references: signals keep weak ones

#: Rows whose text is part of another kind's document: (model label, attribute, kind).
_PARTS = (
    ("experiments.LearningCard", "experiment", "experiment"),
    ("retros.Topic", "retro", "retro"),
    ("drills.Finding", "drill", "drill"),
)


def _part_changed(attribute: str, kind: str) -> Callable[..., None]:
    def receiver(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw:
            return
        whole_id = getattr(instance, f"{attribute}_id", None)
        if whole_id is not None:  # brought in step at the commit (gone by then: unindexed)
            schedule(kind, whole_id)

    receiver.__name__ = f"search_{kind}_part_changed"
    return receiver


def connect_signals() -> None:
    for kind in KINDS:
        try:
            model = model_for(kind)
        except LookupError:
            continue
        saved, deleted = _saved(kind), _deleted(kind)
        _RECEIVERS.extend([saved, deleted])
        post_save.connect(saved, sender=model, dispatch_uid=f"search-{kind}-saved")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"search-{kind}-deleted")
        if hasattr(model, "tags"):
            changed = _tags_changed(kind)
            _RECEIVERS.append(changed)
            m2m_changed.connect(
                changed, sender=model.tags.through, dispatch_uid=f"search-{kind}-tags"
            )
    for label, attribute, kind in _PARTS:
        try:
            part = apps.get_model(label)
        except LookupError:
            continue
        receiver = _part_changed(attribute, kind)
        _RECEIVERS.append(receiver)
        post_save.connect(receiver, sender=part, dispatch_uid=f"search-{label}-saved")
        post_delete.connect(receiver, sender=part, dispatch_uid=f"search-{label}-deleted")


# Called by learnloop.lessons.hooks inside the lesson write's transaction.


def lesson_changed(lesson_id: int) -> None:
    schedule("lesson", lesson_id)


def lesson_deleted(lesson_id: int) -> None:
    """The lesson is about to be deleted: its document goes now (in the same transaction)."""
    _pending(transaction.get_connection()).get("lesson", set()).discard(lesson_id)
    unindex("lesson", lesson_id)
