"""The monthly showcase; a learning card's team becomes required (filled by 0003)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_settings_versions_and_time_zone'),
        ('experiments', '0003_learning_card_team'),
        ('lessons', '0006_lesson_source_experiment'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="learningcard",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.team",
            ),
        ),
        migrations.CreateModel(
            name='Showcase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('visibility', models.CharField(choices=[('team', 'Team only'), ('organisation', 'Whole organisation')], default='team', max_length=16)),
                ('scope', models.CharField(choices=[('team', 'The team'), ('organisation', 'The organisation')], default='team', max_length=16)),
                ('month', models.DateField(help_text='The first day of the month it looks back on.')),
                ('title', models.CharField(max_length=200)),
                ('meeting_at', models.DateTimeField(blank=True, null=True)),
                ('duration_minutes', models.PositiveSmallIntegerField(default=60)),
                ('location', models.CharField(blank=True, max_length=200)),
                ('version', models.PositiveIntegerField(default=1)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('facilitator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.team')),
            ],
            options={
                'ordering': ['-month', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ShowcaseItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('visibility', models.CharField(choices=[('team', 'Team only'), ('organisation', 'Whole organisation')], default='team', max_length=16)),
                ('position', models.PositiveIntegerField()),
                ('title', models.CharField(max_length=200)),
                ('insight', models.TextField(blank=True, max_length=4000)),
                ('outcome', models.CharField(blank=True, max_length=40)),
                ('leader', models.BooleanField(default=False)),
                ('presented_at', models.DateTimeField(blank=True, null=True)),
                ('added_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('experiment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='experiments.experiment')),
                ('learning_card', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='experiments.learningcard')),
                ('lesson', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='lessons.lesson')),
                ('presenter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('showcase', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='experiments.showcase')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.team')),
            ],
            options={
                'ordering': ['position', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='showcase',
            index=models.Index(fields=['team', '-month'], name='showcase_team_month'),
        ),
        migrations.AddConstraint(
            model_name='showcase',
            constraint=models.UniqueConstraint(fields=('team', 'scope', 'month'), name='experiment_showcase_unique'),
        ),
        migrations.AddConstraint(
            model_name='showcaseitem',
            constraint=models.UniqueConstraint(condition=models.Q(('experiment__isnull', False)), fields=('showcase', 'experiment'), name='showcase_item_experiment_once'),
        ),
    ]
