# The initiatives register's models, taken over from surveys (surveys.0002) with their tables
# untouched: the state is created here, the database is left as it is.

import core.scoping
import django.db.models.deletion
import initiatives.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('surveys', '0002_initiatives_to_their_own_app'),
        ('org', '0001_initial'),
        ('plans', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Initiative',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=500, verbose_name='initiative title')),
                        ('authors', models.CharField(max_length=500, verbose_name='authors')),
                        ('problem', models.TextField(verbose_name='the problem')),
                        ('solution', models.TextField(verbose_name='the solution')),
                        ('reform_area', models.CharField(blank=True, max_length=300, verbose_name='reform area')),
                        ('applied_on', models.DateField(blank=True, null=True, verbose_name='applied since')),
                        ('effect', models.TextField(blank=True, verbose_name='evidence of its effect')),
                        ('status', models.CharField(choices=[('proposed', 'Proposed'), ('sent', 'Sent to the reviewing body'), ('recognised_commune', 'Recognised at commune level'), ('recognised_province', 'Recognised at province level'), ('not_recognised', 'Not recognised')], default='proposed', max_length=25, verbose_name='status')),
                        ('sent_on', models.DateField(blank=True, null=True, verbose_name='sent on')),
                        ('decided_on', models.DateField(blank=True, null=True, verbose_name='decided on')),
                        ('decision_note', models.CharField(blank=True, max_length=500, verbose_name='decision')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='initiatives', to='org.department', verbose_name='department')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='initiatives', to='org.unit', verbose_name='unit')),
                    ],
                    options={
                        'verbose_name': 'initiative',
                        'verbose_name_plural': 'initiatives',
                        'db_table': 'surveys_initiative',
                        'ordering': ['-created_at'],
                    },
                    bases=(core.scoping.UnitScoped, models.Model),
                ),
                migrations.CreateModel(
                    name='InitiativeDocument',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('original_name', models.CharField(max_length=255, verbose_name='file name')),
                        ('kind', models.CharField(max_length=10)),
                        ('size', models.PositiveBigIntegerField()),
                        ('sha256', models.CharField(max_length=64)),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                        ('file', models.FileField(upload_to=initiatives.models.initiative_path)),
                        ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='initiatives.initiative')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'initiative document',
                        'verbose_name_plural': 'initiative documents',
                        'db_table': 'surveys_initiativedocument',
                        'ordering': ['-uploaded_at'],
                    },
                ),
                migrations.CreateModel(
                    name='InitiativeGoal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('minimum', models.PositiveSmallIntegerField(default=1, verbose_name='at least')),
                        ('due', models.DateField(verbose_name='sent before')),
                        ('target', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='initiative_goals', to='plans.target', verbose_name='plan target')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='initiative_goals', to='org.unit')),
                    ],
                    options={
                        'verbose_name': 'initiative goal',
                        'verbose_name_plural': 'initiative goals',
                        'db_table': 'surveys_initiativegoal',
                        'ordering': ['-year'],
                        'constraints': [models.UniqueConstraint(fields=('unit', 'year'), name='initiative_goal_unique_year')],
                    },
                    bases=(core.scoping.UnitScoped, models.Model),
                ),
            ],
            database_operations=[],
        ),
    ]
