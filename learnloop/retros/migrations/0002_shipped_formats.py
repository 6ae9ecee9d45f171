"""Write the four shipped retro formats as data (see learnloop.retros.formats)."""

from django.db import migrations


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    from learnloop.retros.formats import SHIPPED_FORMATS

    RetroFormat = apps.get_model("retros", "RetroFormat")  # noqa: N806
    for data in SHIPPED_FORMATS:
        RetroFormat.objects.update_or_create(
            slug=data["slug"],
            is_shipped=True,
            team=None,
            defaults={
                "name": data["name"],
                "description": data["description"],
                "columns": data["columns"],
            },
        )


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("retros", "RetroFormat").objects.filter(is_shipped=True).delete()


class Migration(migrations.Migration):
    dependencies = [("retros", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
