"""The admin's 从原文导入: paste a policy's text (or upload a .txt or .docx), see what it reads and how that
differs from what is recorded, accept, edit or drop each proposal, and create the accepted ones as drafts.

Three steps, one URL (/admin/measures/policy/import/, linked from the policy list and each policy's page):
the form; the preview (the structure as a tree, the text with every amount highlighted and read, and per
measure the changed paragraphs and the proposed awards, each with its fields editable); the creation,
which reads the same text again (carried in the preview's form) and creates what was ticked, through
measures/editing/importer.py, in one transaction and one batch of the public history.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from measures.domain.models import Award, Policy
from measures.editing import importer
from measures.text import clause_reader, decoding, document_reader, money, vocabulary

# What an editor needs to import: creating measures, clauses and awards.
PERMISSIONS = ("measures.add_measure", "measures.add_clause", "measures.add_award")
KIND_LABELS = {
    clause_reader.LOAN: "贷款",
    clause_reader.INVESTMENT: "投资额",
    clause_reader.FUND: "基金规模",
    clause_reader.THRESHOLD: "门槛条件",
    clause_reader.RATE: "比例",
    clause_reader.OTHER: "其他金额",
}
ENCODING_CHOICES = (
    ("", "自动识别（UTF-8 或 GB18030）"),
    ("utf-8", "UTF-8"),
    ("gb18030", "GB18030 / GBK"),
    ("utf-16", "UTF-16"),
)


class ImportTextForm(forms.Form):
    policy = forms.ModelChoiceField(
        label="导入到政策",
        queryset=Policy.objects.order_by("-issue_date", "slug"),
        help_text="新政策请先在“政策”中创建（政策没有草稿状态，创建即公开），再导入其正文。",
    )
    text = forms.CharField(
        label="粘贴原文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "vLargeTextField"}),
        help_text="整份文件的正文：标题、文号、序言、各方面与各条措施。也可以只粘贴新增的几条措施。",
    )
    file = forms.FileField(
        label="或上传文件",
        required=False,
        help_text=(
            f"支持 .txt 和 .docx（Word），不超过 {decoding.MAX_UPLOAD_BYTES // 1024 // 1024} MB；"
            f".docx 解压后不超过 {decoding.MAX_DOCX_UNPACKED_BYTES // 1024 // 1024} MB、"
            f"{decoding.MAX_DOCX_PARTS} 个部件。"
        ),
    )
    encoding = forms.ChoiceField(label="文本编码", choices=ENCODING_CHOICES, required=False)
    source_url = forms.URLField(
        label="原文网址",
        assume_scheme="https",
        max_length=500,
        help_text="新段落的来源网址（记入每段条款的“来源网址”）。",
    )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        try:
            if upload is not None:
                cleaned["text"] = decoding.read_upload(upload.name, upload.read(), cleaned.get("encoding") or None)
            elif text.strip():
                cleaned["text"] = decoding.check_text(text)
            else:
                raise forms.ValidationError("请粘贴政策原文，或上传 .txt / .docx 文件。")
        except decoding.UnreadableText as error:
            raise forms.ValidationError(str(error)) from None
        return cleaned


class AwardRowForm(forms.Form):
    """One proposed award in the preview: accepted or not, and its fields as the editor corrects them."""

    amount_wan = forms.DecimalField(label="金额（万元）", max_digits=16, decimal_places=4, min_value=0)
    limit = forms.ChoiceField(label="金额性质", choices=Award.Limit.choices)
    recurrence = forms.ChoiceField(label="发放频次", choices=Award.Recurrence.choices)
    per_recipient = forms.BooleanField(label="按每家计", required=False)
    nature = forms.ChoiceField(label="资助方式", choices=Award.Nature.choices)
    recipient = forms.CharField(label="支持对象", max_length=300)
    condition = forms.CharField(label="条件", max_length=300, required=False)
    basis = forms.CharField(label="计算依据", max_length=200, required=False)

    @classmethod
    def initial_for(cls, change: importer.AwardChange) -> dict:
        values = importer.award_values(change)
        return {**values, "amount_wan": money.yuan_to_wan(values.pop("amount_yuan"))}

    def award_values(self) -> dict:
        values = dict(self.cleaned_data)
        values["amount_yuan"] = money.wan_to_yuan(values.pop("amount_wan"))
        return values


def import_view(request, model_admin):
    if not all(request.user.has_perm(permission) for permission in PERMISSIONS):
        raise PermissionDenied
    context = {**model_admin.admin_site.each_context(request), "opts": Policy._meta, "title": "从原文导入"}
    step = request.POST.get("step") if request.method == "POST" else None
    if step in ("preview", "create"):
        form = ImportTextForm(request.POST, request.FILES)
        if form.is_valid():
            return _preview_or_create(request, form, context, create=step == "create")
    else:
        form = ImportTextForm(initial=initial_values(request.GET.get("policy", "")))
    return TemplateResponse(request, "admin/measures/import_text.html", {**context, "form": form})


def initial_values(asked: str) -> dict:
    """The policy asked for (?policy=<id>, from a policy's page), or the only one recorded, and its first
    source's address, as `import_policy_text` defaults them."""
    policy = Policy.objects.filter(pk=asked).first() if asked.isdigit() else None
    if policy is None:
        only = list(Policy.objects.all()[:2])
        policy = only[0] if len(only) == 1 else None
    if policy is None:
        return {}
    url = policy.sources.order_by("position").values_list("url", flat=True).first()
    return {"policy": policy, "source_url": url}


@dataclass
class AwardRow:
    change: importer.AwardChange
    form: AwardRowForm
    accepted: bool


def _preview_or_create(request, form, context, *, create):
    text, policy = form.cleaned_data["text"], form.cleaned_data["policy"]
    reading = document_reader.read_policy(text)
    plan = importer.plan_import(reading, policy)
    accepted = set(request.POST.getlist("accept")) if create else plan.default_keys()
    chosen_pillars, valid = _chosen_pillars(request, plan, accepted, create=create)
    rows = {}
    for measure in plan.measures:
        for clause in measure.clauses:
            for award in clause.awards:
                if not award.proposed:
                    continue
                if create:
                    row = AwardRowForm(request.POST, prefix=award.key, initial=AwardRowForm.initial_for(award))
                    # A dropped award's fields are not checked: it is not created.
                    valid &= award.key not in accepted or row.is_valid()
                else:
                    row = AwardRowForm(prefix=award.key, initial=AwardRowForm.initial_for(award))
                rows[award.key] = award.row = AwardRow(award, row, award.key in accepted)
    if create and valid:
        edited = {key: row.form.award_values() for key, row in rows.items() if row.accepted}
        try:
            result = importer.apply_plan(
                plan,
                user=request.user,
                source_url=form.cleaned_data["source_url"],
                accepted=accepted,
                edited_awards=edited,
                pillars=chosen_pillars,
            )
        except importer.ImportRefused as error:
            messages.error(request, f"未导入：{error}（未写入任何内容）")
        else:
            if not result.count:
                messages.warning(request, "没有勾选任何内容，未写入任何内容。")
            else:
                messages.success(
                    request,
                    f"已从原文导入为草稿：{result.summary}（变更说明“{importer.TEXT_IMPORT_REASON}”）。公众看不到它们，"
                    "核对后在列表中选中并运行“发布所选草稿”。",
                )
                return HttpResponseRedirect(reverse("admin:measures_measure_changelist") + "?status__exact=draft")
    context.update(
        form=form,
        hidden_form=form,
        plan=plan,
        reading=reading,
        rows=rows,
        accepted=accepted,
        highlighted=highlighted_text(reading),
        kind_labels=KIND_LABELS,
    )
    return TemplateResponse(request, "admin/measures/import_preview.html", context)


def _chosen_pillars(request, plan: importer.ImportPlan, accepted: set[str], *, create: bool):
    """The pillar each new measure goes under: the preview's selector (`<key>-pillar`), which starts at the
    pillar the text's own matched; and whether every accepted new measure has one. Each measure is given
    `pillar_choice` (the chosen pillar's id, or "") and `pillar_error` for the template."""
    by_id = {str(pillar.pk): pillar for pillar in plan.pillars}
    chosen, valid = {}, True
    for change in plan.measures:
        if change.recorded is not None or change.problem:
            continue
        field = f"{change.key}-pillar"
        # A form without the selector (a script's) keeps the pillar the text matched.
        pillar = by_id.get(request.POST[field]) if create and field in request.POST else change.pillar
        change.pillar_choice = str(pillar.pk) if pillar else ""
        change.pillar_error = ""
        if pillar is not None:
            chosen[change.key] = pillar
        elif create and change.key in accepted:
            change.pillar_error = "请选定这条措施所属的方面。"
            valid = False
    return chosen, valid


@dataclass
class HighlightedSegment:
    """A piece of the text for the preview: plain, or an amount with how it was read."""

    text: str
    kind: str = ""  # "", "award", "other" or "flag"
    reading: str = ""


def highlighted_text(reading: document_reader.PolicyReading) -> list[HighlightedSegment]:
    """The whole text in pieces, every amount read (and everything flagged) its own piece."""
    marks = []
    for measure in reading.measures:
        for clause in measure.clauses:
            for award in clause.awards:
                nature = dict(Award.Nature.choices)[award.nature]
                described = money.format_award(
                    award.amount_yuan,
                    ceiling=award.limit == vocabulary.CEILING,
                    recurrence=award.recurrence,
                    per_recipient=award.per_recipient,
                    language="zh-hans",
                )
                marks.append((award.amount_start, award.amount_end, "award", f"奖补：{described}{nature}"))
            for other in clause.other_amounts:
                amount = "" if other.amount_yuan is None else f" {money.format_amount(other.amount_yuan)}"
                marks.append(
                    (other.amount_start, other.amount_end, "other", f"{KIND_LABELS[other.kind]}{amount}（不是奖补）")
                )
            for flag in clause.flags:
                marks.append((flag.start, flag.end, "flag", f"读不准：{flag.reason}"))
    segments, position = [], 0
    for start, end, kind, described in sorted(marks):
        if start < position:
            continue  # overlapping marks (a flag over an amount read): the first wins
        segments.append(HighlightedSegment(reading.text[position:start]))
        segments.append(HighlightedSegment(reading.text[start:end], kind, described))
        position = end
    segments.append(HighlightedSegment(reading.text[position:]))
    return [segment for segment in segments if segment.text]
