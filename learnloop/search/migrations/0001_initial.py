"""Create the search index tables with the core's DDL for this database's vendor.

The index is not a Django model: SQLite gets an FTS5 external-content table kept in step by
triggers, PostgreSQL a generated tsvector column with a GIN index (see learnloop/search/index.py).
"""

from django.db import migrations

from learnloop.search import index


def create(apps, schema_editor):  # noqa: ANN001, ANN201
    vendor = schema_editor.connection.vendor
    for stmt in index.ddl(vendor):
        schema_editor.execute(stmt, params=None)


def drop(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "sqlite":
        for stmt in (
            "DROP TABLE IF EXISTS search_fts_vocab",
            "DROP TABLE IF EXISTS search_fts",
            "DROP TABLE IF EXISTS search_document",
        ):
            schema_editor.execute(stmt, params=None)
    else:
        schema_editor.execute("DROP TABLE IF EXISTS search_document", params=None)


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []
    operations = [migrations.RunPython(create, drop)]
