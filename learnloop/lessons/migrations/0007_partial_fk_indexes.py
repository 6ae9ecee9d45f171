"""Partial indexes for ``Lesson.source_experiment`` and ``Lesson.source_retro`` (NULL in nearly
every row), ordered like the lists that read them, in place of Django's plain ones (decision
0177). Only the indexes change in the database: ``AlterField`` alone would rebuild the table on
SQLite and drop and re-add the foreign keys on PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models


def _fk(to: str) -> models.ForeignKey:
    return models.ForeignKey(
        blank=True,
        db_index=False,
        null=True,
        on_delete=django.db.models.deletion.SET_NULL,
        related_name="lessons",
        to=to,
    )


def _swap(old: str, column: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{old}"',
        f'CREATE INDEX "{old}" ON "lessons_lesson" ("{column}")',
    )


def _partial(field: str) -> migrations.AddIndex:
    return migrations.AddIndex(
        model_name="lesson",
        index=models.Index(
            condition=models.Q((f"{field}__isnull", False)),
            fields=[field, "-created_at", "-id"],
            name=f"lesson_{field}",
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("experiments", "0006_partial_fk_indexes"),
        ("lessons", "0006_lesson_source_experiment"),
        ("retros", "0004_export_ids_and_links"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="lesson",
                    name="source_experiment",
                    field=_fk("experiments.experiment"),
                ),
                migrations.AlterField(
                    model_name="lesson", name="source_retro", field=_fk("retros.retro")
                ),
            ],
            database_operations=[
                _swap("lessons_lesson_source_experiment_id_86ebad42", "source_experiment_id"),
                _swap("lessons_lesson_source_retro_id_aa2261a4", "source_retro_id"),
            ],
        ),
        _partial("source_experiment"),
        _partial("source_retro"),
    ]
