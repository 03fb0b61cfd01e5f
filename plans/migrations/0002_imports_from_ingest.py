"""ImportBatch and DocumentImport move here from the ingest app, keeping their tables and rows.

The models are created in Django's state only (their tables `ingest_importbatch` and
`ingest_documentimport` already exist), and their content types are renamed from app `ingest` to
`plans`, so that permissions and audit history stay attached to them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import plans.imports.models

MODELS = ("importbatch", "documentimport")


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue  # already there (created after the move): the old row is left alone
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def to_plans(apps, schema_editor) -> None:
    _relabel(apps, "ingest", "plans")


def to_ingest(apps, schema_editor) -> None:
    _relabel(apps, "plans", "ingest")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("ingest", "0002_imports_move_to_plans"),
        ("org", "0001_initial"),
        ("plans", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="import_batches",
                                to="org.unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "document import",
                        "verbose_name_plural": "document imports",
                        "db_table": "ingest_importbatch",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="DocumentImport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("file", models.FileField(upload_to=plans.imports.models.import_path)),
                        (
                            "original_name",
                            models.CharField(max_length=255, verbose_name="file name"),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Waiting to be read"),
                                    ("reading", "Being read"),
                                    ("ready", "Ready for review"),
                                    ("failed", "Could not be read"),
                                    ("saved", "Saved as a plan"),
                                ],
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        ("error", models.TextField(blank=True)),
                        ("source_text", models.TextField(blank=True)),
                        ("draft", models.JSONField(blank=True, null=True)),
                        ("read_seconds", models.FloatField(blank=True, null=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "plan",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="plans.plan",
                            ),
                        ),
                        (
                            "batch",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="documents",
                                to="plans.importbatch",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "imported document",
                        "verbose_name_plural": "imported documents",
                        "db_table": "ingest_documentimport",
                        "ordering": ["batch", "id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_plans, to_ingest),
    ]
