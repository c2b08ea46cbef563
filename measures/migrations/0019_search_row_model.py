# Search's own table (0011) as a model Django does not manage: nothing changes in the database.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0018_drop_clause_search_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchRow',
            fields=[
                ('clause_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('title', models.TextField()),
                ('text', models.TextField()),
                ('amount_low', models.BigIntegerField(null=True)),
                ('amount_high', models.BigIntegerField(null=True)),
            ],
            options={
                'db_table': 'measures_clause_search',
                'managed': False,
            },
        ),
    ]
