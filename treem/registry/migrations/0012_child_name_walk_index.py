"""An index for walking the register in name order, with the scope and the merge in it.

A search with many matches ("van an", 14,000 of a province's million) walks the names in order
until a page is full. With `unit_path` and `merged_into_id` in the index (INCLUDE, PostgreSQL)
and the searched words checked on `name_folded`, PostgreSQL reads the index alone (an
index-only scan) instead of a row of the table for each of the 20,000 names it passes. It
replaces the plain index on `name_folded`, which it serves as well (the list in name order).
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0002_village_name_unique'),
        ('registry', '0011_name_prefixes_capped'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='child',
            name='name_folded',
            field=models.CharField(max_length=150),
        ),
        migrations.AddIndex(
            model_name='child',
            index=models.Index(fields=['name_folded', 'id'], include=('unit_path', 'merged_into_id'), name='registry_child_name_walk'),
        ),
    ]
