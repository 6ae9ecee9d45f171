"""Merge tags whose names differ only in case (decisions/0015), before 0004 adds the unique
index on (LOWER(name), organisation).

Per organisation and LOWER(name) (the database's own LOWER, as the index compares) one tag is
kept: the most linked, then a sequential (positive) id before a random one, then the lowest id.
Every link of the others (on incidents, lessons and any other many-to-many to Tag) is re-pointed
to it, or deleted where the object already links the kept tag, so no duplicate link is made.
Link rows keep their ids (anonymous reports' links keep their random negative ids); nothing is
created and no time is written. Then the other tags are deleted.
"""

from collections import defaultdict

from django.db import migrations
from django.db.models.functions import Lower


def _tag_links(Tag):  # noqa: ANN001, ANN202, N803
    """(through model, column naming the object, column naming the tag) per many-to-many."""
    links = []
    for rel in Tag._meta.related_objects:
        if rel.many_to_many:
            field = rel.field
            links.append((field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()))
    return links


def merge_tags_ignoring_case(apps, schema_editor):  # noqa: ANN001, ANN201
    Tag = apps.get_model("core", "Tag")  # noqa: N806
    links = _tag_links(Tag)
    groups = defaultdict(list)
    for tag in Tag.objects.annotate(lower_name=Lower("name")).order_by("id"):
        groups[(tag.organisation_id, tag.lower_name)].append(tag)
    for tags in groups.values():
        if len(tags) < 2:
            continue
        counts = {
            t.pk: sum(through.objects.filter(**{f"{tag_col}_id": t.pk}).count() for through, _, tag_col in links)
            for t in tags
        }
        keep = min(tags, key=lambda t: (-counts[t.pk], t.pk < 0, abs(t.pk)))
        others = [t.pk for t in tags if t.pk != keep.pk]
        for through, obj_col, tag_col in links:
            linked = set(
                through.objects.filter(**{f"{tag_col}_id": keep.pk}).values_list(f"{obj_col}_id", flat=True)
            )
            for link in through.objects.filter(**{f"{tag_col}_id__in": others}).order_by("id"):
                obj_id = getattr(link, f"{obj_col}_id")
                if obj_id in linked:
                    link.delete()
                else:
                    through.objects.filter(pk=link.pk).update(**{f"{tag_col}_id": keep.pk})
                    linked.add(obj_id)
        Tag.objects.filter(pk__in=others).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_rate_limits"),
        # The many-to-many tables that link tags must exist (and be in the state) to re-point.
        ("incidents", "0001_initial"),
        ("lessons", "0001_initial"),
    ]

    operations = [migrations.RunPython(merge_tags_ignoring_case, migrations.RunPython.noop)]
