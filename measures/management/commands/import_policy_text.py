import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures.domain.models import Policy
from measures.editing import importer
from measures.text import decoding, document_reader


class Command(BaseCommand):
    help = (
        "Read a policy's official text (.txt in UTF-8, UTF-16 or GB18030, or .docx) and import what it "
        "adds to or changes in a recorded policy, as drafts (history reason 从原文导入). --json prints the "
        "reader's proposal and writes nothing; --dry-run lists what would be imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the text: .txt or .docx")
        parser.add_argument(
            "--policy", metavar="SLUG", help="the recorded policy (default: found by its 文号 or title)"
        )
        parser.add_argument("--dry-run", action="store_true", help="list what would be imported, write nothing")
        parser.add_argument("--json", action="store_true", help="print the proposal as JSON and write nothing")
        parser.add_argument("--encoding", help="the text file's encoding when it is not detected (e.g. gb18030)")
        parser.add_argument(
            "--source-url",
            help="the address of the official text, for the new paragraphs (default: the policy's first source)",
        )

    def handle(self, *args, file: Path, policy, dry_run, json: bool, encoding, source_url, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {file}：{error.strerror or error}") from None
        try:
            text = decoding.read_upload(file.name, data, encoding)
        except decoding.UnreadableText as error:
            raise CommandError(str(error)) from None
        reading = document_reader.read_policy(text)
        if json:
            self.stdout.write(dumps(reading.as_json()))
            return
        for warning in reading.warnings:
            self.stderr.write(self.style.WARNING(f"注意：{warning}"))
        if not reading.measures:
            raise CommandError("没有读到任何措施，未写入任何内容。")
        target = self._policy(policy, reading)
        plan = importer.plan_import(reading, target)
        self._report(plan)
        if dry_run:
            self.stdout.write("（--dry-run：未写入任何内容。）")
            return
        if not plan.default_keys():
            self.stdout.write("与已录入的内容相比没有需要导入的变化，未写入任何内容。")
            return
        url = source_url or (target.sources.order_by("position").values_list("url", flat=True).first())
        if not url:
            raise CommandError("请用 --source-url 给出原文的网址（新段落的来源），该政策还没有信息来源。")
        try:
            result = importer.apply_plan(plan, source_url=url)
        except importer.ImportRefused as error:
            raise CommandError(f"{error}（未写入任何内容）") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入为草稿：{result.summary}"
                f"（变更说明“{importer.TEXT_IMPORT_REASON}”）。在后台核对后用“发布所选草稿”发布。"
            )
        )

    def _policy(self, slug, reading) -> Policy:
        if slug:
            found = Policy.objects.filter(slug=slug).first()
            if found is None:
                raise CommandError(f"没有网址标识为“{slug}”的政策。")
            return found
        found = importer.find_policy(reading)
        if found is None:
            raise CommandError(
                "没有找到文号或标题相同的政策：请用 --policy 指定要导入的政策（新政策请先在后台创建，"
                "政策没有草稿状态，创建即公开）。"
            )
        return found

    def _report(self, plan: importer.ImportPlan) -> None:
        self.stdout.write(f"导入到《{plan.policy.title}》（{plan.policy.slug}）：")
        for note in plan.notes:
            self.stdout.write(self.style.WARNING(f"  注意：{note}"))
        for measure in plan.measures:
            heading = f"  第{measure.reading.number}条 {measure.reading.title}"
            if measure.problem:
                self.stdout.write(self.style.WARNING(f"{heading}：不能导入，{measure.problem}"))
                continue
            if not measure.proposed:
                problems = "；".join(clause.problem for clause in measure.clauses if clause.problem)
                self.stdout.write(f"{heading}：{problems}" if problems else f"{heading}：与记录相同")
                continue
            if measure.needs_pillar:
                self.stdout.write(
                    self.style.WARNING(
                        f"{heading}：不导入，原文的方面与记录对不上：请在后台的“从原文导入”中选定所属方面"
                    )
                )
                continue
            self.stdout.write(f"{heading}：{'新措施（草稿）' if measure.recorded is None else '有变化'}")
            for position, clause in enumerate(measure.clauses, 1):
                label = {importer.NEW: "新段落", importer.CHANGED: "段落有修改（修改草稿）", importer.SAME: "段落相同"}
                if clause.problem:
                    self.stdout.write(self.style.WARNING(f"    第{position}段：{clause.problem}"))
                elif clause.proposed:
                    self.stdout.write(f"    第{position}段：{label[clause.status]}：{excerpt(clause.reading.text)}")
                for award in clause.awards:
                    if award.proposed and award.doubt:
                        said = f"{award.display_text}（{award.proposal.source_phrase}）——{award.doubt}"
                        self.stdout.write(self.style.WARNING(f"      不导入（读得不准）：{said}"))
                    elif award.proposed:
                        self.stdout.write(f"      新奖补：{award.display_text}（{award.proposal.source_phrase}）")
            for unit in measure.units:
                if unit.proposed:
                    made = "" if unit.department else "（新建）"
                    self.stdout.write(f"    责任单位：{unit.name}{made}")


def excerpt(text: str, width: int = 40) -> str:
    return text if len(text) <= width else f"{text[:width]}…"


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
