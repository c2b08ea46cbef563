"""The library's CSV (/policies/export.csv): one row per policy the question finds, in the page's order.
Columns as measures.public.exports defines them (an English key, a Chinese header, a description), read
from a library row (filters.Listed: the policy's entry and its validity today)."""

from django.utils.translation import gettext_lazy as _

from measures.public.exports import Column
from measures.text import money


def _date(value) -> str:
    return value.isoformat() if value else ""


LIBRARY_COLUMNS = [
    Column("slug", "政策标识", _("政策在本站网址中的标识，如 kjcx-2025。"), lambda r, _u: r.entry.policy.slug),
    Column("title", "政策", _("政策全称，不含书名号。"), lambda r, _u: r.entry.policy.title),
    Column("short_title", "简称", _("政策简称，没有时空白。"), lambda r, _u: r.entry.policy.short_title),
    Column("document_number", "文号", _("文号，来源未给出时空白。"), lambda r, _u: r.entry.policy.document_number),
    Column("issuing_bodies", "发文机关", _("发文机关，多个用顿号分隔。"), lambda r, _u: r.entry.policy.issuing_bodies),
    Column("issue_date", "印发日期", _("印发日期（YYYY-MM-DD）。"), lambda r, _u: _date(r.entry.policy.issue_date)),
    Column(
        "issue_date_confirmed",
        "印发日期已确认",
        _("否：日期待确认，填的是可确认的最晚日期。"),
        lambda r, _u: r.entry.policy.issue_date_confirmed,
    ),
    Column(
        "effective_date",
        "施行日期",
        _("施行日期（YYYY-MM-DD），空白表示自印发之日起实施。"),
        lambda r, _u: _date(r.entry.policy.effective_date),
    ),
    Column(
        "expiry_date",
        "有效期至",
        _("有效的最后一天（YYYY-MM-DD），空白表示未规定有效期。"),
        lambda r, _u: _date(r.entry.policy.expiry_date),
    ),
    Column(
        "validity",
        "有效性",
        _("下载当天的有效性：尚未施行、有效、即将失效（最后六个月）或已失效。"),
        lambda r, _u: str(r.validity.label),
    ),
    Column("recorded_measures", "已录入措施数", _("已发布的措施条数。"), lambda r, _u: r.entry.recorded_measures),
    Column(
        "declared_measures",
        "措施总条数",
        _("政策原文宣布的措施条数。"),
        lambda r, _u: r.entry.policy.declared_measure_count,
    ),
    Column("award_count", "奖补数", _("已发布的奖补项数。"), lambda r, _u: r.entry.award_count),
    Column(
        "largest_award_yuan",
        "最大奖补（元）",
        _("金额最大的一项奖补（整数，元），没有奖补时空白。"),
        lambda r, _u: "" if r.entry.largest_award_yuan is None else r.entry.largest_award_yuan,
    ),
    Column(
        "largest_award_wan",
        "最大奖补（万元）",
        _("同上，以万元计。"),
        lambda r, _u: "" if r.entry.largest_award_yuan is None else str(money.yuan_to_wan(r.entry.largest_award_yuan)),
    ),
    Column("cited_by", "相关文件数", _("落实、解读或引用这项政策的相关文件数。"), lambda r, _u: r.entry.cited_by),
    Column("url", "网址", _("政策在本站的网址。"), lambda r, u: u(r.entry.policy.get_absolute_url())),
]
