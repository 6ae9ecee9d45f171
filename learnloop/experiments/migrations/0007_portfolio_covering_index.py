"""The portfolio's covering index replaces ``experiment_team_visibility`` (its first two
columns), and learning cards get one by experiment and date: the portfolio's sums and counts
read the indexes alone (decision 0177)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("experiments", "0006_partial_fk_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="experiment",
            index=models.Index(
                fields=["team", "visibility", "state", "phase", "person_days", "budget"],
                name="experiment_portfolio",
            ),
        ),
        migrations.RemoveIndex(model_name="experiment", name="experiment_team_visibility"),
        migrations.AddIndex(
            model_name="learningcard",
            index=models.Index(fields=["experiment", "created_at"], name="card_experiment_created"),
        ),
    ]
