"""A partial index for ``Experiment.previous`` (NULL in nearly every row) in place of Django's
plain one (decision 0177). Only the index changes in the database: ``AlterField`` alone would
rebuild the table on SQLite and drop and re-add the foreign key on PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = models.Index(
    condition=models.Q(("previous__isnull", False)),
    fields=["previous"],
    name="experiment_previous",
)


class Migration(migrations.Migration):
    dependencies = [
        ("experiments", "0005_experiment_external_id"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="experiment",
                    name="previous",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="iterations",
                        to="experiments.experiment",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "experiments_experiment_previous_id_91b9aa03"',
                    'CREATE INDEX "experiments_experiment_previous_id_91b9aa03" '
                    'ON "experiments_experiment" ("previous_id")',
                ),
            ],
        ),
        migrations.AddIndex(model_name="experiment", index=INDEX),
    ]
