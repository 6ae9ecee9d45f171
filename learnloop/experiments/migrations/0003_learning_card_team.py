"""A learning card keeps its experiment's team (applause names the team of what it counts)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_teams(apps, schema_editor):
    """A learning card's team is its experiment's."""
    LearningCard = apps.get_model("experiments", "LearningCard")
    Experiment = apps.get_model("experiments", "Experiment")
    for experiment_id, team_id in Experiment.objects.values_list("pk", "team_id"):
        LearningCard.objects.filter(experiment_id=experiment_id).update(team_id=team_id)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_settings_versions_and_time_zone'),
        ('experiments', '0002_phase_targets'),
    ]

    operations = [
        migrations.AddField(
            model_name='learningcard',
            name='team',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.team'),
        ),
        migrations.RunPython(copy_teams, migrations.RunPython.noop),
    ]
