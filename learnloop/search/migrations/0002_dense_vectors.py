"""The dense stage's vector table and generation counter (learnloop/search/dense.py).

Idempotent (``IF NOT EXISTS``): a database created after this change already has them from
0001, which runs the core's current DDL.
"""

from django.db import migrations

from learnloop.search import dense


def create(apps, schema_editor):  # noqa: ANN001, ANN201
    for stmt in dense.ddl(schema_editor.connection.vendor):
        schema_editor.execute(stmt, params=None)


def drop(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS search_document_vector_ad", params=None)
    schema_editor.execute("DROP TABLE IF EXISTS search_vector", params=None)
    schema_editor.execute("DROP TABLE IF EXISTS search_vector_state", params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
