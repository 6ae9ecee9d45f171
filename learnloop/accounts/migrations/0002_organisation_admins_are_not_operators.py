"""Organisation admins stop being Django superusers/staff (decision 0017).

The operator is recognised as a superuser who belongs to no organisation (made by
``learnloop createoperator`` or Django's ``createsuperuser``); every account that belongs to an
organisation loses ``is_superuser`` and ``is_staff``, so /admin/ (which edits every
organisation) no longer opens to an organisation's admin. Their ``is_org_admin`` stays: they
keep administering their organisation in the product. Not reversible in meaning: going back
leaves the flags off (run ``learnloop createoperator`` for /admin/ access).
"""

from django.db import migrations


def strip_operator_flags(apps, schema_editor):  # noqa: ANN001, ANN201
    User = apps.get_model("accounts", "User")
    User.objects.filter(organisation__isnull=False).exclude(
        is_superuser=False, is_staff=False
    ).update(is_superuser=False, is_staff=False)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(strip_operator_flags, migrations.RunPython.noop)]
