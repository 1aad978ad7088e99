from django.db import migrations, models


class Migration(migrations.Migration):
    # A period's births over several provinces (the nation's indicators): the index led by
    # the province cannot serve them. On PostgreSQL the index is made on every partition.

    dependencies = [
        ('registry', '0020_residence_child_province'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='child',
            index=models.Index(fields=['birth_date'], name='registry_child_birth'),
        ),
    ]
