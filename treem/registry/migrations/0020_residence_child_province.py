from django.db import migrations, models
from django.db.models import F, OuterRef, Q, Subquery


def fill(apps, schema_editor):
    """Each residence takes its child's province of today, in one statement (on PostgreSQL a
    join: a subquery per row would probe every partition of the children)."""
    Child = apps.get_model("registry", "Child")
    ChildResidence = apps.get_model("registry", "ChildResidence")
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(ChildResidence._meta.db_table)} r "  # noqa: S608 - model tables
                f"SET child_province_code = c.province_code "
                f"FROM {quote(Child._meta.db_table)} c WHERE c.id = r.child_id")
        return
    province = Subquery(Child.objects.using(connection.alias).filter(pk=OuterRef("child_id"))
                        .values("province_code")[:1])
    ChildResidence.objects.using(connection.alias).update(child_province_code=province)


class Migration(migrations.Migration):
    # A province's indicators join its residences to its own children's partition: the few
    # children who moved to another province are read apart, found by this column.

    dependencies = [
        ("registry", "0019_name_walk_with_province"),
    ]

    operations = [
        migrations.AddField(
            model_name="childresidence",
            name="child_province_code",
            field=models.CharField(default="", max_length=2),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="childresidence",
            index=models.Index(condition=~Q(child_province_code=F("province_code")),
                               fields=["province_code"], name="registry_residence_movers"),
        ),
    ]
