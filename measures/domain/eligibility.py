"""Who can apply for an award, and how: recipient kinds (申报主体类别) and application facts (申兑信息).

Tagging an award with kinds structures the words already in its `recipient`; it never adds a fact. An
award's own facts win over its measure's (`merge_facts`), and a fact no record gives is None (待录入).
None of it has drafts: it is public with what it belongs to. See docs/architecture.md#who-can-apply.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.domain.models import Audited, Award, BatchedHistory, ContentQuerySet, Measure
from measures.text import vocabulary
from measures.text.word_lists import join_words, split_words


class RecipientKindQuerySet(ContentQuerySet):
    def public(self):
        """The kinds the public sees: those a public award is tagged with. A kind made for draft work, or
        whose last public award has gone, is not listed, searched, offered or answered for anywhere: every
        face reads it from here, so its slug answers as an unknown one does."""
        return self.filter(
            models.Exists(AwardRecipientKind.objects.filter(kind=models.OuterRef("pk"), award__is_public=True))
        )

    def in_order(self):
        return self.order_by("order", "slug")

    def named(self, words):
        """The kinds whose name or one of whose aliases holds every one of `words` (Latin letters in any
        case), for search."""
        kinds = self
        for word in words:
            kinds = kinds.filter(models.Q(name__icontains=word) | models.Q(aliases__icontains=word))
        return kinds.in_order()


class RecipientKind(Audited):
    class Group(models.TextChoices):
        PLATFORM = "platform", _("创新平台")
        BASE = "base", _("合作基地")
        INCUBATOR = "incubator", _("孵化载体")
        PROJECT = "project", _("项目")
        ENTERPRISE = "enterprise", _("企业")

    slug = models.SlugField(
        "网址标识",
        unique=True,
        help_text="出现在政策计算器的网址中（/calculator/?kind=网址标识），只用小写字母、数字和连字符；发布后请勿修改。",
    )
    name = models.CharField("名称", max_length=100, unique=True, help_text="照政策原文的说法，如“科技型企业孵化器”。")
    name_en = models.CharField(
        "英文名称（非官方）",
        max_length=200,
        blank=True,
        help_text="英文界面显示为“英文名称（中文名称）”，如“Tech business incubator”；非官方译名，可留空。",
    )
    explanation = models.CharField(
        "说明",
        max_length=300,
        blank=True,
        help_text="简短说明这类主体是什么、出自哪条措施的哪句话；不写原文没有的条件。",
    )
    aliases = models.CharField(
        "常见叫法",
        max_length=300,
        blank=True,
        help_text="人们常用、但政策原文不用的叫法，用顿号（、）分开，如“国家重点实验室”。"
        "搜索这些叫法时，也按上面的名称搜索，并列出这类主体。",
    )
    group = models.CharField("类别", max_length=12, choices=Group.choices, help_text="政策计算器按类别分组列出。")
    order = models.PositiveSmallIntegerField("排序", default=100, help_text="同类别中的先后，小的在前。")
    awards = models.ManyToManyField(
        Award,
        through="AwardRecipientKind",
        related_name="recipient_kinds",
        blank=True,
        verbose_name="可申请的奖补",
    )

    objects = RecipientKindQuerySet.as_manager()
    history = HistoricalRecords()

    duplicate_number_message = "已有相同网址标识或名称的申报主体类别。"

    class Meta:
        verbose_name = "申报主体类别"
        verbose_name_plural = "申报主体类别"
        ordering = ["order", "slug"]

    def __str__(self):
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return split_words(self.aliases)

    def clean(self):
        super().clean()
        if self.name in self.alias_list:
            raise ValidationError({"aliases": "常见叫法不必重复名称本身。"})
        self.aliases = join_words(self.alias_list)


class AwardRecipientKind(Audited):
    """That an award is open to a kind of recipient: one row per link, edited on the award's page."""

    award = models.ForeignKey(Award, verbose_name="奖补金额", on_delete=models.CASCADE, related_name="kind_links")
    # PROTECT: a kind still linked to awards is unlinked from them before it can go.
    kind = models.ForeignKey(
        RecipientKind, verbose_name="申报主体类别", on_delete=models.PROTECT, related_name="award_links"
    )

    objects = ContentQuerySet.as_manager()
    # Batched: the links an admin form adds and removes are one change of the award's kinds in the
    # public history (measures/domain/public_history.py), live and replayed alike.
    history = HistoricalRecords(bases=[BatchedHistory])

    duplicate_number_message = "这笔奖补已经标注了这类申报主体。"

    class Meta:
        verbose_name = "奖补的申报主体"
        verbose_name_plural = "奖补的申报主体"
        ordering = ["award_id", "kind_id"]
        constraints = [models.UniqueConstraint(fields=["award", "kind"], name="award_recipient_kind_unique")]

    def __str__(self):
        return str(self.kind) if self.kind_id else "—"


class Department(Audited):
    """A responsible department (责任单位), reused across measures and policies."""

    name = models.CharField("名称", max_length=100, unique=True, help_text="单位全称，如“厦门市科学技术局”。")
    phone = models.CharField("电话", max_length=100, blank=True, help_text="来源给出的咨询电话；不知道时留空。")
    website = models.URLField("网站", max_length=500, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    duplicate_number_message = "已有同名的责任单位。"

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["name"]

    def __str__(self):
        return self.name


class DeliveryMode(models.TextChoices):
    AUTOMATIC = "automatic", _("免申即享")
    ON_APPLICATION = "on_application", _("依申请")
    UNSPECIFIED = vocabulary.UNSPECIFIED, _("未注明")


class WindowKind(models.TextChoices):
    YEAR_ROUND = "year_round", _("常年受理")
    DATES = "dates", _("按申报时间段")
    ANNUAL_NOTICE = "annual_notice", _("以年度通知为准")
    UNPUBLISHED = "unpublished", _("未公布")


# The kinds that say when to apply; an expected window (预计) is shown only until one of them is recorded.
FIRM_WINDOW_KINDS = (WindowKind.YEAR_ROUND, WindowKind.DATES)


class ApplicationInfo(Audited):
    """How to apply for the awards of a measure (`measure` set), or for one award where it differs from
    its measure (`award` set). Fields left at their defaults are taken from the measure's record, and
    shown as 待录入 where that gives nothing either."""

    measure = models.OneToOneField(
        Measure,
        verbose_name="措施",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="application_info",
        help_text="这条措施所有奖补共同的申兑信息。与“奖补金额”二选一。",
    )
    award = models.OneToOneField(
        Award,
        verbose_name="奖补金额",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="application_info",
        help_text="只在这笔奖补与所在措施不同时填写：这里填写的各项优先于措施的。",
    )
    delivery_mode = models.CharField(
        "兑现方式",
        max_length=16,
        choices=DeliveryMode.choices,
        default=DeliveryMode.UNSPECIFIED,
        help_text="来源未写明时保持“未注明”：公众页面显示“待录入”。",
    )
    window_kind = models.CharField(
        "申报时间",
        max_length=16,
        choices=WindowKind.choices,
        default=WindowKind.UNPUBLISHED,
        help_text="选“按申报时间段”时填写起止日期；来源未给出时保持“未公布”：公众页面显示“待录入”。",
    )
    window_opens = models.DateField("申报开始日期", null=True, blank=True)
    window_closes = models.DateField("申报截止日期", null=True, blank=True)
    materials = models.TextField("所需材料", blank=True, help_text="照申报通知或指南录入；不知道时留空。")
    hotline = models.CharField("咨询电话", max_length=100, blank=True, help_text="不知道时留空。")
    expected_opens = models.DateField("预计开始日期", null=True, blank=True)
    expected_closes = models.DateField("预计截止日期", null=True, blank=True)
    expected_basis = models.CharField(
        "预计的依据",
        max_length=200,
        blank=True,
        help_text="正式申报时间公布前，可按依据填写预计的起止日期，如“以往年度通知于3月发布”；公众页面标为“预计”。"
        "正式时间公布后，把“申报时间”改为“按申报时间段”或“常年受理”：预计的时间不再显示，修改记录中两者都保留。",
    )
    entry_name = models.CharField(
        "办理入口名称",
        max_length=100,
        blank=True,
        help_text="官方办理系统或窗口的名称，照其网站或申报通知录入；不知道时留空，公众页面显示“待录入”。",
    )
    entry_url = models.URLField(
        "办理入口网址",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="官方办理系统的网址，公众点“去办理”即打开该网站；不要填转载或复制的页面。",
    )
    entry_online = models.BooleanField(
        "可网上办理",
        null=True,
        blank=True,
        help_text="“是”：在上面的网址上在线办理；“否”：须到窗口办理。来源未写明时保持“未知”。",
    )
    departments = models.ManyToManyField(
        Department,
        through="ApplicationDepartment",
        related_name="application_infos",
        blank=True,
        verbose_name="责任单位",
    )

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "申兑信息"
        verbose_name_plural = "申兑信息"
        ordering = ["measure_id", "award_id"]
        constraints = [
            models.CheckConstraint(
                name="application_info_for_measure_or_award",
                condition=models.Q(measure__isnull=False, award__isnull=True)
                | models.Q(measure__isnull=True, award__isnull=False),
                violation_error_message="申兑信息属于一条措施或一笔奖补，二者选一。",
            ),
        ]

    def __str__(self):
        if self.award_id:
            return f"申兑信息：{self.award}"
        return f"申兑信息：{self.measure}" if self.measure_id else "申兑信息"

    def clean(self):
        if self.window_kind == WindowKind.DATES:
            if not self.window_opens and not self.window_closes:
                raise ValidationError({"window_opens": "选“按申报时间段”时至少填写开始或截止日期。"})
            if self.window_opens and self.window_closes and self.window_opens > self.window_closes:
                raise ValidationError({"window_closes": "截止日期不能早于开始日期。"})
        elif self.window_opens or self.window_closes:
            raise ValidationError({"window_kind": "填写了申报日期时，申报时间请选“按申报时间段”。"})
        if self.expected_opens or self.expected_closes:
            if not self.expected_basis.strip():
                raise ValidationError({"expected_basis": "填写预计的申报日期时，请写明预计的依据。"})
            if self.expected_opens and self.expected_closes and self.expected_opens > self.expected_closes:
                raise ValidationError({"expected_closes": "预计截止日期不能早于预计开始日期。"})
        elif self.expected_basis.strip():
            raise ValidationError({"expected_opens": "写了预计的依据时，请至少填写预计开始或截止日期。"})
        if self.entry_url and not self.entry_name.strip():
            raise ValidationError({"entry_name": "填写办理入口网址时，请一并填写入口名称（公众页面的链接文字）。"})
        if self.entry_online is not None and not (self.entry_name.strip() or self.entry_url):
            raise ValidationError({"entry_online": "请先填写办理入口的名称或网址。"})


class ApplicationDepartment(Audited):
    info = models.ForeignKey(
        ApplicationInfo, verbose_name="申兑信息", on_delete=models.CASCADE, related_name="department_links"
    )
    department = models.ForeignKey(
        Department, verbose_name="责任单位", on_delete=models.PROTECT, related_name="info_links"
    )

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    duplicate_number_message = "已经列出了这个责任单位。"

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["info_id", "department_id"]
        constraints = [
            models.UniqueConstraint(fields=["info", "department"], name="application_department_unique"),
        ]

    def __str__(self):
        return str(self.department) if self.department_id else "—"


class ApplicationGuide(Audited):
    """A link to an application guide or notice (申兑指南), with its title as the page gives it."""

    info = models.ForeignKey(ApplicationInfo, verbose_name="申兑信息", on_delete=models.CASCADE, related_name="guides")
    position = models.PositiveSmallIntegerField("顺序", default=1)
    title = models.CharField("标题", max_length=200, help_text="指南或通知的标题，照来源录入。")
    url = models.URLField("网址", max_length=500)

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    duplicate_number_message = "已有相同顺序号的申兑指南，请换一个顺序号。"

    class Meta:
        verbose_name = "申兑指南"
        verbose_name_plural = "申兑指南"
        ordering = ["info_id", "position"]
        constraints = [models.UniqueConstraint(fields=["info", "position"], name="application_guide_position_unique")]

    def __str__(self):
        return self.title


@dataclass(frozen=True)
class Window:
    """When to apply. An expected window (`expected`, shown as 预计) has the dates an editor expects, of
    kind "dates", and the `basis` they are expected on."""

    kind: str
    opens: datetime.date | None = None
    closes: datetime.date | None = None
    expected: bool = False
    basis: str = ""

    @property
    def label(self):
        return WindowKind(self.kind).label


@dataclass(frozen=True)
class ApplicationEntry:
    """Where to apply (办): the official system or office, by the name it gives itself; `url` is empty
    for an office without one, `online` None where no source says."""

    name: str
    url: str = ""
    online: bool | None = None


@dataclass(frozen=True)
class ApplicationFacts:
    """An award's application facts, each None where no record gives it (shown as 待录入).
    `expected_window` is set only while no firm window (year-round or dates) is recorded."""

    departments: list = field(default_factory=list)
    delivery_mode: str | None = None
    window: Window | None = None
    guides: list = field(default_factory=list)
    materials: str = ""
    hotline: str = ""
    entry: ApplicationEntry | None = None
    expected_window: Window | None = None

    # The facts a source gives, or 待录入: an expected window is an editor's estimate, not one of them.
    FACT_NAMES = ("departments", "delivery_mode", "window", "guides", "materials", "hotline", "entry")

    @property
    def delivery_mode_label(self):
        return DeliveryMode(self.delivery_mode).label if self.delivery_mode else None

    @property
    def missing(self) -> list[str]:
        """The names of the facts no record gives (the API lists them)."""
        return [name for name in self.FACT_NAMES if not getattr(self, name)]

    @property
    def nothing_known(self) -> bool:
        """No record gives any fact, nor an expected window (the pages then say so on one line)."""
        return len(self.missing) == len(self.FACT_NAMES) and self.expected_window is None


def coming_expected_windows(facts, today: datetime.date) -> list[Window]:
    """The expected windows (预计) among these ApplicationFacts that have not closed by `today`, each once,
    in order: known changes not yet in force (已知的后续变化)."""
    windows = (f.expected_window for f in facts if f.expected_window is not None)
    return list(dict.fromkeys(w for w in windows if (w.closes or w.opens) >= today))


ENTRY_FIELDS = ("measure_id", "award_id", "entry_name", "entry_url", "entry_online")


def _entry(info: ApplicationInfo | None) -> ApplicationEntry | None:
    if info is None or not (info.entry_name or info.entry_url):
        return None
    return ApplicationEntry(info.entry_name, info.entry_url, info.entry_online)


def _own(info: ApplicationInfo | None) -> ApplicationFacts:
    if info is None:
        return ApplicationFacts()
    window = None
    if info.window_kind != WindowKind.UNPUBLISHED:
        window = Window(info.window_kind, info.window_opens, info.window_closes)
    expected = None
    if info.expected_opens or info.expected_closes:
        expected = Window(WindowKind.DATES, info.expected_opens, info.expected_closes, True, info.expected_basis)
    return ApplicationFacts(
        departments=info.listed_departments,
        delivery_mode=None if info.delivery_mode == DeliveryMode.UNSPECIFIED else info.delivery_mode,
        window=window,
        guides=info.listed_guides,
        materials=info.materials,
        hotline=info.hotline,
        entry=_entry(info),
        expected_window=expected,
    )


def merge_facts(measure_info: ApplicationInfo | None, award_info: ApplicationInfo | None) -> ApplicationFacts:
    """Each fact the award's record gives, else the measure's; the expected window only while neither
    gives a firm one. The records carry `listed_departments` and `listed_guides` (attach_eligibility sets
    them)."""
    measure, award = _own(measure_info), _own(award_info)
    merged = {name: getattr(award, name) or getattr(measure, name) for name in ApplicationFacts.__dataclass_fields__}
    if merged["window"] is not None and merged["window"].kind in FIRM_WINDOW_KINDS:
        merged["expected_window"] = None
    return ApplicationFacts(**merged)


def _infos(condition) -> tuple[dict, dict]:
    """The ApplicationInfos matching `condition`, each with `listed_departments` and `listed_guides`, by
    measure id and by award id: three queries (the infos as a subquery in the last two, so that these
    run, and count, the same with or without any info)."""
    query = ApplicationInfo.objects.filter(condition)
    infos = list(query)
    departments: dict[int, list] = {}
    for link in ApplicationDepartment.objects.filter(info__in=query.values("pk")).select_related("department"):
        departments.setdefault(link.info_id, []).append(link.department)
    guides: dict[int, list] = {}
    for guide in ApplicationGuide.objects.filter(info__in=query.values("pk")).order_by("position", "pk"):
        guides.setdefault(guide.info_id, []).append(guide)
    by_measure, by_award = {}, {}
    for info in infos:
        info.listed_departments = sorted(departments.get(info.pk, []), key=lambda d: d.name)
        info.listed_guides = guides.get(info.pk, [])
        if info.award_id:
            by_award[info.award_id] = info
        else:
            by_measure[info.measure_id] = info
    return by_measure, by_award


def attach_measure_facts(measures) -> list[Measure]:
    """These measures, each with `facts`: its own application facts (three queries, none without measures)."""
    measures = list(measures)
    if measures:
        by_measure, _by_award = _infos(models.Q(measure_id__in=[measure.pk for measure in measures]))
        for measure in measures:
            measure.facts = merge_facts(by_measure.get(measure.pk), None)
    return measures


def attach_eligibility(awards, measure: Measure | None = None) -> list[Award]:
    """These awards (their clauses loaded), each with `kinds` (its recipient kinds, in order) and `facts`
    (its ApplicationFacts): four queries whatever their number, none when there are none. Given as a
    QuerySet, the awards are named to the four queries by a subquery rather than a list of ids (a whole
    library's awards are more ids than a statement may carry). A `measure` (its page) gets its own
    `facts` from the same queries (three of them when it has no awards)."""
    if isinstance(awards, models.QuerySet):
        ids = awards.order_by().values("pk")
        measure_ids = awards.order_by().values("clause__measure_id")
        awards = list(awards)
    else:
        awards = list(awards)
        ids = [award.pk for award in awards]
        measure_ids = {award.clause.measure_id for award in awards} | ({measure.pk} if measure else set())
    if not awards:
        if measure is not None:
            attach_measure_facts([measure])
        return awards
    # (award, kind) pairs with the kind's few fields, each kind made once: thousands of links would
    # otherwise be thousands of link and kind objects (most of the calculator's time at scale).
    links = (
        AwardRecipientKind.objects.filter(award_id__in=ids)
        .order_by("kind__order", "kind__slug")
        .values_list("award_id", "kind_id", "kind__slug", "kind__name", "kind__name_en", "kind__group", "kind__order")
    )
    made: dict[int, RecipientKind] = {}
    kinds: dict[int, list] = {}
    for award_id, kind_id, slug, name, name_en, group, order in links:
        if kind_id not in made:
            made[kind_id] = RecipientKind(pk=kind_id, slug=slug, name=name, name_en=name_en, group=group, order=order)
        kinds.setdefault(award_id, []).append(made[kind_id])
    by_measure, by_award = _infos(models.Q(award_id__in=ids) | models.Q(measure_id__in=measure_ids))
    for award in awards:
        award.kinds = kinds.get(award.pk, [])
        award.facts = merge_facts(by_measure.get(award.clause.measure_id), by_award.get(award.pk))
    if measure is not None:
        measure.facts = merge_facts(by_measure.get(measure.pk), None)
    return awards


def window_entries(windows) -> dict[int, ApplicationEntry | None]:
    """去办理 for each of these (application record with a window, the pk of the measure it concerns):
    the record's own entry, else, for an award's record, its measure's record's, as merge_facts has it.
    By record pk; one query, none when every record names its own entry."""
    lacking = {measure_id for info, measure_id in windows if info.award_id and _entry(info) is None}
    by_measure = {}
    if lacking:
        for info in ApplicationInfo.objects.filter(measure_id__in=lacking).only(*ENTRY_FIELDS):
            by_measure[info.measure_id] = info
    return {info.pk: _entry(info) or _entry(by_measure.get(measure_id)) for info, measure_id in windows}


def attach_entries(awards) -> list[Award]:
    """These awards (their clauses loaded), each with `facts` holding only its `entry`: the award's own
    record's, else its measure's, as merge_facts has it. One query, none without awards: for lists
    (the finder's cards) that show where to apply and nothing else of the facts."""
    awards = list(awards)
    if not awards:
        return awards
    infos = ApplicationInfo.objects.filter(
        models.Q(award_id__in=[award.pk for award in awards])
        | models.Q(measure_id__in={award.clause.measure_id for award in awards})
    ).only(*ENTRY_FIELDS)
    by_measure, by_award = {}, {}
    for info in infos:
        (by_award if info.award_id else by_measure)[info.award_id or info.measure_id] = info
    for award in awards:
        entry = _entry(by_award.get(award.pk)) or _entry(by_measure.get(award.clause.measure_id))
        award.facts = ApplicationFacts(entry=entry)
    return awards
