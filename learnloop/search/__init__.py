"""Full-text search and "what have we already learned about this?" related suggestions.

The package is deliberately free of Django imports: it works on any DB-API cursor
(sqlite3 or psycopg) so it can be tested and benchmarked in isolation, and the Django
app that wraps it later only has to pass a cursor and a visibility condition.

- ``text``: tokenising, stemming and safe query building (FTS5 MATCH, PostgreSQL tsquery).
- ``mechanism_lexicon``: the hand-written failure-mechanism lexicon (data);
  ``mechanisms``: matching it (``concepts_for``).
- ``index``: DDL, upsert/delete, ``search`` and ``related`` for SQLite and PostgreSQL.
"""
