"""ImportBatch and DocumentImport now belong to the plans app (plans/imports/models.py).

Only Django's idea of the models changes here; their tables stay as they are and are taken over
by plans 0002.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DocumentImport"),
                migrations.DeleteModel(name="ImportBatch"),
            ],
            database_operations=[],
        ),
    ]
