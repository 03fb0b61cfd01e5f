# The initiatives register moved to the `initiatives` app. Its tables stay as they are (the new
# models name them in Meta.db_table); only Django's record of which app owns them changes, here
# (forgotten by surveys) and in initiatives.0001 (taken up by initiatives).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='InitiativeDocument'),
                migrations.DeleteModel(name='InitiativeGoal'),
                migrations.DeleteModel(name='Initiative'),
            ],
            database_operations=[],
        ),
    ]
