from django.core.management.base import BaseCommand, CommandError

from measures.domain.models import Award
from measures.editing.consistency import disagreements


class Command(BaseCommand):
    help = (
        "List the awards whose amount, limit or recurrence cannot be read from their own source phrase "
        "(原文表述); exit status 1 if there is any."
    )

    def handle(self, *args, **options):
        total = Award.objects.count()
        found = disagreements()
        for item in found:
            award = item.award
            policy = award.clause.measure.policy
            where = f"《{policy.short_title or policy.title}》{award.clause}第{award.position}项（id {award.pk}）"
            self.stdout.write(f"{where}：记录为{award.display_text}，原文表述“{award.source_phrase}”——{item.problem}")
        self.stdout.write(f"{total}项奖补中{total - len(found)}项与原文表述一致。")
        if found:
            raise CommandError(f"{len(found)}项奖补的金额与原文表述不符，请核对。")
