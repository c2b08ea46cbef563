"""Where a message is written from: the policy, measure, clause and award named by the form's link
(`policy=<slug>&measure=<n>[&clause=<paragraph>][&award=<id>]`), all public, or PlaceError."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from measures.domain.models import Award, Clause, Measure
from measures.public.alerts.targets import MAX_SLUG_LENGTH
from xmpolicy.nul import without_nul


class PlaceError(Exception):
    def __init__(self, message: str, status: int = 404):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Place:
    measure: Measure
    clause: Clause | None = None
    award: Award | None = None
    params: dict = field(default_factory=dict)  # the link's parameters, as the form posts them again

    @property
    def path(self) -> str:
        """The page the form was opened from, at the paragraph when there is one."""
        url = self.measure.get_absolute_url()
        return f"{url}#{self.clause.anchor}" if self.clause else url

    def describe(self) -> str:
        """'《若干措施》第3条 第2段 最高300万元', in the interface's language (the policy's text stays Chinese)."""
        policy = self.measure.policy
        parts = [
            f"《{policy.short_title or policy.title}》"
            + _("第%(number)s条") % {"number": self.measure.number}
            + f" {self.measure.title}"
        ]
        if self.clause:
            parts.append(_("第%(position)s段") % {"position": self.clause.position})
        if self.award:
            parts.append(self.award.localized_display_text)
        return " ".join(parts)


def _text(data, name) -> str:
    value = data.get(name, "")
    return without_nul(value).strip() if isinstance(value, str) else ""


def _number(data, name) -> int | None:
    value = _text(data, name)
    return int(value) if value.isdigit() and len(value) <= 9 else None


def place_from_params(data) -> Place:
    """The place a feedback link or form names (a QueryDict or dict). Two to four queries."""
    slug, number = _text(data, "policy"), _number(data, "measure")
    measure = None
    if number and 0 < len(slug) <= MAX_SLUG_LENGTH:
        measure = Measure.objects.published().select_related("policy").filter(policy__slug=slug, number=number).first()
    if measure is None:
        raise PlaceError(_("没有这条措施（或它尚未发布）。请从措施页面上的“报告问题”或“我要提问”链接进入。"))
    params = {"policy": measure.policy.slug, "measure": str(measure.number)}
    clause = award = None
    if _text(data, "clause"):
        position = _number(data, "clause")
        clause = Clause.objects.published().filter(measure=measure, position=position).first() if position else None
        if clause is None:
            raise PlaceError(_("这条措施没有这一段。请从措施页面上的链接进入。"))
        params["clause"] = str(clause.position)
    if _text(data, "award"):
        award_id = _number(data, "award")
        awards = Award.objects.published().filter(clause__measure=measure)
        if clause is not None:
            awards = awards.filter(clause=clause)
        award = awards.select_related("clause").filter(pk=award_id).first() if award_id else None
        if award is None:
            raise PlaceError(_("这条措施没有这项奖补。请从措施页面上的链接进入。"))
        clause = clause or award.clause
        params["clause"] = str(clause.position)
        params["award"] = str(award.pk)
    return Place(measure, clause, award, params)


def form_url(kind: str, measure, clause=None, award=None) -> str:
    """The link to the form, from a measure page (the templates' {% feedback_url %})."""
    params = {"kind": kind, "policy": measure.policy.slug, "measure": measure.number}
    if clause is not None:
        params["clause"] = clause.position
    if award is not None:
        params["award"] = award.pk
    return f"{reverse('feedback:new')}?{urlencode(params)}"
