# The alerts' links carry random secrets, never the address or the subscription's id
# (measures/public/alerts/links.py): each subscription gets a new 256-bit `key` (unique: a confirm or
# unsubscribe link finds its subscription by it) and the secret of its address's manage link
# (`manage_key`, shared by the address's subscriptions). The links mailed before stop working.

import secrets

from django.db import migrations, models


def give_secrets(apps, schema_editor, size=32):
    Subscription = apps.get_model("measures", "Subscription")
    subscriptions = Subscription.objects.using(schema_editor.connection.alias)
    manage_keys = {}
    rows = list(subscriptions.order_by("pk").only("pk", "email"))
    for row in rows:
        row.key = secrets.token_urlsafe(size)
        row.manage_key = manage_keys.setdefault(row.email, secrets.token_urlsafe(size))
    subscriptions.bulk_update(rows, ["key", "manage_key"], batch_size=500)


def give_old_keys(apps, schema_editor):
    # Back to 0015's 32-character keys (and the links of then): the new ones do not fit.
    give_secrets(apps, schema_editor, size=12)


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0015_search_amount_tokens'),
    ]

    operations = [
        migrations.AddField(
            model_name='subscription',
            name='manage_key',
            field=models.CharField(default='', editable=False, max_length=43),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='subscription',
            name='key',
            field=models.CharField(editable=False, max_length=43),
        ),
        migrations.RunPython(give_secrets, give_old_keys),
        migrations.AddIndex(
            model_name='subscription',
            index=models.Index(fields=['manage_key'], name='subscription_manage_key'),
        ),
        migrations.AddConstraint(
            model_name='subscription',
            constraint=models.UniqueConstraint(fields=('key',), name='subscription_key_unique'),
        ),
    ]
