# The content types of the moved models change app label, so that what points at them (the audit
# trail above all, also permissions and the admin's log) stays with the objects. Reversible.

from django.db import migrations

MODELS = ("initiative", "initiativedocument", "initiativegoal")


def _relabel(apps, schema_editor, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    for model in MODELS:
        kept = types.filter(app_label=old_label, model=model).first()
        if kept is None:
            continue  # a new database: post_migrate makes the types afterwards
        made = types.filter(app_label=new_label, model=model).first()
        if made is not None:
            # Made meanwhile by a migrate that ran with the models already here: what points at
            # it joins the older type, which keeps the history; its permissions go with it.
            for relation in ContentType._meta.get_fields(include_hidden=True):
                related = relation.related_model
                if not relation.one_to_many or related._meta.label_lower == "auth.permission":
                    continue
                related._base_manager.using(db).filter(**{relation.field.name: made}).update(
                    **{relation.field.name: kept}
                )
            made.delete()
        kept.app_label = new_label
        kept.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "surveys", "initiatives")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "initiatives", "surveys")


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('auditlog', '0017_add_actor_email'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
