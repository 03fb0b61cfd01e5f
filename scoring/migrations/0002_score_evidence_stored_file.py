"""Score evidence becomes a stored file like every other uploaded file: who added it and when are
named as elsewhere (uploaded_by, uploaded_at); the rows and their values are kept."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("scoreevidence", "added_by", "uploaded_by"),
        migrations.RenameField("scoreevidence", "added_at", "uploaded_at"),
        migrations.AlterModelOptions(
            name="scoreevidence",
            options={
                "ordering": ["uploaded_at"],
                "verbose_name": "score evidence",
                "verbose_name_plural": "score evidence",
            },
        ),
        migrations.AlterField(
            model_name="scoreevidence",
            name="original_name",
            field=models.CharField(max_length=255, verbose_name="file name"),
        ),
        migrations.AlterField(
            model_name="scoreevidence",
            name="kind",
            field=models.CharField(max_length=10),
        ),
        migrations.AlterField(
            model_name="scoreevidence",
            name="size",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AlterField(
            model_name="scoreevidence",
            name="sha256",
            field=models.CharField(max_length=64),
        ),
    ]
