# A clause's draft of a change carries the clause's awards: Award.draft_of names the award a draft's copy
# stands for. Publishing a draft now deletes the awards it has no copy of, so the drafts pending at this
# migration are given a copy of each of their clause's awards and its kinds first (before, a draft could
# not carry awards at all): published as they are, they leave the awards unchanged. The copies are on
# clauses the public does not see, so neither the public history nor the content revision moves.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_awards_onto_pending_drafts(apps, schema_editor):
    Award = apps.get_model("measures", "Award")
    Clause = apps.get_model("measures", "Clause")
    AwardRecipientKind = apps.get_model("measures", "AwardRecipientKind")
    frozen_columns = [
        "position", "amount_yuan", "limit", "recurrence", "per_recipient", "nature", "recipient", "condition",
        "basis", "source_phrase", "status",
    ]  # fmt: skip
    for draft in Clause.objects.filter(draft_of__isnull=False):
        for award in Award.objects.filter(clause_id=draft.draft_of_id, draft_of__isnull=True).order_by("position"):
            copy = Award.objects.create(
                clause_id=draft.pk, draft_of_id=award.pk, **{name: getattr(award, name) for name in frozen_columns}
            )
            for link in AwardRecipientKind.objects.filter(award_id=award.pk):
                AwardRecipientKind.objects.create(award_id=copy.pk, kind_id=link.kind_id)


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0019_search_row_model'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='award',
            name='draft_of',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='drafts', to='measures.award', verbose_name='修改草稿所对应的奖补'),
        ),
        migrations.AddField(
            model_name='historicalaward',
            name='draft_of',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='measures.award', verbose_name='修改草稿所对应的奖补'),
        ),
        migrations.AddConstraint(
            model_name='award',
            constraint=models.UniqueConstraint(condition=models.Q(('draft_of__isnull', False)), fields=('draft_of',), name='one_draft_copy_per_award'),
        ),
        migrations.RunPython(copy_awards_onto_pending_drafts, migrations.RunPython.noop),
    ]
