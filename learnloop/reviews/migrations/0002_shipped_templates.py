"""Write the four shipped review templates as data (see learnloop.reviews.catalogue)."""

from django.db import migrations


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    from learnloop.reviews.catalogue import SHIPPED_TEMPLATES

    ReviewTemplate = apps.get_model("reviews", "ReviewTemplate")  # noqa: N806
    for data in SHIPPED_TEMPLATES:
        ReviewTemplate.objects.update_or_create(
            slug=data["slug"],
            is_shipped=True,
            organisation=None,
            team=None,
            defaults={
                "name": data["name"],
                "description": data["description"],
                "cooling_off_hours": data["cooling_off_hours"],
                "sections": data["sections"],
            },
        )


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("reviews", "ReviewTemplate").objects.filter(is_shipped=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
