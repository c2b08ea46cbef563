"""The policy as data: Policy → Pillar → Measure → Clause → Award.

Labels and help texts are written for the editors who read them in the admin. The public pages
read through the named QuerySet methods below, which own the query shapes (joins, prefetches).
"""

import calendar
import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.text import money, tokens, vocabulary

# All of Audited's columns: who saved a row last, when, and its version (public lists leave them out).
AUDITED_COLUMNS = ("created_at", "updated_at", "version", "updated_by")


class Audited(models.Model):
    """What every content row keeps about its changes. Four ideas, each answering one question:

    - `version` (this row): *has someone saved it since I opened it?* The admin's change form keeps
      the version it opened and refuses a save over a newer one (measures/editing/locking.py).
    - the history (`history`, django-simple-history): *who changed what, when and why?* One record
      per saved version, with the editor and the reason; the admin's history pages, restore, and
      `load_policy`'s question *has anyone changed what the file loaded?* (measures/editing/loader.py
      compares the row with the last version the loader wrote) read it.
    - the public history (measures/domain/public_history.py): *what did the public see change?*
    - the content revision (measures/domain/revision.py): *has anything public changed at all?* One
      counter for the whole site, for ETags and the page cache.

    `updated_by` and `updated_at` only say who saved the row last and when (empty for the loader),
    for the admin's lists."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField(
        "版本",
        default=1,
        editable=False,
        help_text="每保存一次加一。编辑表单记下打开时的版本，别人先保存过时拒绝覆盖（不丢失修改）。",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后编辑人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True

    # Messages for numbers that clash with a sibling's, in the editors' words rather than
    # Django's generic "…已存在" (a UniqueConstraint on fields ignores violation_error_message).
    duplicate_number_message = "编号已被占用，请换一个编号。"

    def save(self, *args, **kwargs):
        # Every save of an existing row is a new version (see `version`).
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    @classmethod
    def before_bulk_create(cls, objs):
        """What save() would compute on these new rows before they are inserted in bulk (ContentQuerySet)."""

    @classmethod
    def after_bulk_write(cls, pks, using):
        """What save() would refresh after these rows were written in bulk (ContentQuerySet)."""

    def unique_error_message(self, model_class, unique_check):
        error = super().unique_error_message(model_class, unique_check)
        error.message = self.duplicate_number_message
        error.params = {}
        return error


# Sent after a QuerySet.update(), bulk_create() or bulk_update() of content rows has been recorded in
# their history (ContentQuerySet), with the model and the rows' primary keys: the public history
# (measures/domain/public_history.py) judges them as it judges saves, without this module knowing it.
rows_recorded = Signal()

# The reason (变更说明) recorded for a change made in bulk rather than through a form.
BULK_REASON = "批量修改"


class ContentQuerySet(models.QuerySet):
    """The content's QuerySets: a write in bulk is a recorded change like a save.

    update(), bulk_update() and bulk_create() bypass save(), so by themselves they would leave rows
    without a history version, a new `version` and fresh search tokens. Here each records them (with
    the reason BULK_REASON): the database's triggers keep the content revision and the award finder's
    columns for every write whatever its path (migrations 0005 and 0006), and what Python derives —
    versions, history, search tokens, the public history — is done below for these paths too. Anything
    an editor does goes through save(), with its own reason."""

    def update(self, **kwargs):
        return self.update_as(None, BULK_REASON, **kwargs)

    def update_as(self, user, reason: str, **kwargs):
        """update(), recorded as `user`'s saved version for `reason`, as their saves would be: an editor's
        change to many rows at once (a measure published with its clauses and awards)."""
        kwargs.setdefault("version", models.F("version") + 1)
        if user is not None:
            kwargs.setdefault("updated_by", user)
            kwargs.setdefault("updated_at", timezone.now())
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            self._record(pks, update=True, user=user, reason=reason)
        return count

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            count = super().bulk_update(objs, fields, batch_size=batch_size)
            self._record([obj.pk for obj in objs], update=True)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        self.model.before_bulk_create(objs)
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            self._record([obj.pk for obj in created if obj.pk is not None], update=False)
        return created

    def _record(self, pks, *, update: bool, user=None, reason: str = BULK_REASON):
        self.model.after_bulk_write(pks, using=self.db)
        # Read back as written (the plain manager: no recursion into these methods).
        rows = list(self.model._base_manager.using(self.db).filter(pk__in=pks))
        self.model.history.bulk_history_create(rows, update=update, default_user=user, default_change_reason=reason)
        rows_recorded.send(sender=self.model, pks=pks, using=self.db)


class BatchedHistory(models.Model):
    """A historical record's batch: the saves made together (one admin form, one publication), which the
    public history judges as one change per row (measures/domain/public_history.py)."""

    history_batch = models.UUIDField("同批保存", null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class PublicationStatus(models.TextChoices):
    """Drafts are for editors only: no public page, search, finder, export or sitemap shows them."""

    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


# What the public sees of a clause, written once for the application (migrations freeze their own SQL
# copies; tests/test_visibility.py checks that the database's triggers agree): each field's required value.
# An award is public when it is published and on such a clause.
PUBLIC_CLAUSE = {
    "status": PublicationStatus.PUBLISHED,
    "draft_of": None,  # not a pending draft of a change to another clause
    "measure__status": PublicationStatus.PUBLISHED,
}


def public_clause(prefix: str = "") -> models.Q:
    """PUBLIC_CLAUSE as a filter, on the clause at `prefix` ("" for the clauses themselves)."""
    return models.Q(**{f"{prefix}{field}": value for field, value in PUBLIC_CLAUSE.items()})


def is_public_clause(**values) -> bool:
    """PUBLIC_CLAUSE in Python, for values held in memory (keyword arguments named as its fields)."""
    return all(values[field.replace("__", "_")] == value for field, value in PUBLIC_CLAUSE.items())


def status_field():
    return models.CharField(
        "发布状态",
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
        help_text="草稿只有编辑能看到；发布后才出现在公开页面、搜索、奖补查询、导出和网站地图中。",
    )


class PolicyQuerySet(ContentQuerySet):
    def featured(self):
        """The home page's policy first: the one marked featured, else the newest."""
        return self.order_by("-is_featured", "-issue_date", "slug")

    def for_overview(self):
        """A policy page: its sources, and its pillars each with their measures (three prefetches)."""
        return self.prefetch_related(
            "sources",
            models.Prefetch(
                "pillars",
                queryset=Pillar.objects.prefetch_related(
                    models.Prefetch("measures", queryset=Measure.objects.published().for_tree())
                ),
            ),
            models.Prefetch(
                "measures", queryset=Measure.objects.published().only("id", "number", "status", "policy_id")
            ),
        )


# A policy's pages warn of its expiry in its last months in force (the policy's own words: 有效期).
EXPIRY_WARNING_MONTHS = 6


@dataclass(frozen=True)
class ValidityWarning:
    expired: bool
    last_day: datetime.date  # the last day in force
    ends_on: datetime.date  # the first day it no longer is


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier, or that month's last day: 31 August less 6 months is 28/29 February."""
    years, month_index = divmod(day.month - 1 - months, 12)
    year, month = day.year + years, month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def last_day_in_force(effective_from: datetime.date, validity_years: int | None) -> datetime.date | None:
    """A policy's last day in force (Policy.expiry_date), from its first day and its years of validity
    (None: no end), for those who read policies as rows rather than objects."""
    if validity_years is None:
        return None
    try:
        anniversary = effective_from.replace(year=effective_from.year + validity_years)
    except ValueError:  # 29 February into a non-leap year
        anniversary = effective_from.replace(year=effective_from.year + validity_years, day=28) + datetime.timedelta(
            days=1
        )
    return anniversary - datetime.timedelta(days=1)


def english_gloss_field():
    """A title's English gloss for the English pages: this site's own translation, shown there as an
    unofficial translation beside the Chinese title, the only official one."""
    return models.CharField(
        "英文译名（非官方）",
        max_length=300,
        blank=True,
        help_text="英文界面在中文标题旁显示，并注明“非官方译文”；只翻译原文已有的标题，不得增添内容。可留空。",
    )


class Policy(Audited):
    class ValidityStatus(models.TextChoices):
        NOT_YET = "not_yet", _("尚未施行")
        IN_FORCE = "in_force", _("有效")
        EXPIRED = "expired", _("已失效")

    slug = models.SlugField(
        "网址标识", unique=True, help_text="出现在网址中，如 kjcx-2025；发布后请勿修改，以免链接失效。"
    )
    title = models.CharField("标题", max_length=200, help_text="政策全称，不含书名号。")
    short_title = models.CharField("简称", max_length=50, blank=True, help_text="如“若干措施”，不含书名号。")
    title_en = english_gloss_field()
    document_number = models.CharField(
        "文号", max_length=50, blank=True, help_text="如 厦委发〔2025〕1号，括号用六角括号〔〕。"
    )
    issuing_bodies = models.CharField("发文机关", max_length=200, help_text="多个机关用顿号分隔。")
    preamble = models.TextField("序言", blank=True, help_text="正文开头“制定如下措施”之前的文字（原文）。")
    issue_date = models.DateField(
        "印发日期", help_text="印发日期未经确认时，填可确认的最晚日期，并取消勾选“印发日期已确认”。"
    )
    issue_date_confirmed = models.BooleanField("印发日期已确认", default=False)
    issue_date_note = models.CharField(
        "印发日期说明", max_length=200, blank=True, help_text="日期的来源或未确认的原因，向公众显示。"
    )
    effective_date = models.DateField("施行日期", null=True, blank=True, help_text="留空表示“自印发之日起实施”。")
    validity_years = models.PositiveSmallIntegerField(
        "有效期（年）", null=True, blank=True, help_text="留空表示未规定有效期。"
    )
    declared_measure_count = models.PositiveSmallIntegerField(
        "措施总条数", help_text="政策原文宣布的措施条数（本政策为12条）；已录入的措施编号不能超过此数。"
    )
    is_featured = models.BooleanField("在首页展示", default=False, help_text="首页展示的政策；只应勾选一项。")

    objects = PolicyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "政策"
        verbose_name_plural = "政策"
        ordering = ["-issue_date", "slug"]
        constraints = [
            models.CheckConstraint(
                name="policy_declares_at_least_one_measure",
                condition=models.Q(declared_measure_count__gte=1),
                violation_error_message="措施总条数至少为1。",
            ),
        ]

    def __str__(self):
        return f"《{self.title}》"

    def get_absolute_url(self):
        return reverse("measures:policy", kwargs={"slug": self.slug})

    @property
    def effective_from(self) -> datetime.date:
        return self.effective_date or self.issue_date

    @property
    def expiry_date(self) -> datetime.date | None:
        """The last day in force: 3 years from 2025-02-17 ends on 2028-02-16."""
        return last_day_in_force(self.effective_from, self.validity_years)

    def validity_status(self, today: datetime.date | None = None) -> "Policy.ValidityStatus":
        today = today or timezone.localdate()  # today in Xiamen (TIME_ZONE), not on the server's clock
        if today < self.effective_from:
            return self.ValidityStatus.NOT_YET
        if self.expiry_date is not None and today > self.expiry_date:
            return self.ValidityStatus.EXPIRED
        return self.ValidityStatus.IN_FORCE

    def validity_warning(self, today: datetime.date | None = None) -> "ValidityWarning | None":
        """What every page of the policy warns of: its last months in force ("将于…失效": from six months
        before the day it ends, so 2028-02-16's last day from 2027-08-17), or its expiry. The 关注 mails
        announce the same months (measures/public/alerts/reminders.py)."""
        if self.expiry_date is None:
            return None
        today = today or timezone.localdate()
        ends_on = self.expiry_date + datetime.timedelta(days=1)
        if today >= ends_on:
            return ValidityWarning(expired=True, last_day=self.expiry_date, ends_on=ends_on)
        if today >= months_before(ends_on, EXPIRY_WARNING_MONTHS):
            return ValidityWarning(expired=False, last_day=self.expiry_date, ends_on=ends_on)
        return None

    @property
    def recorded_measure_numbers(self) -> list[int]:
        """Numbers of the published measures: a draft measure is still pending to the public.
        Reads self.measures: one query unless prefetched (for_overview prefetches the published ones)."""
        return sorted(
            measure.number for measure in self.measures.all() if measure.status == PublicationStatus.PUBLISHED
        )

    @property
    def pending_measure_numbers(self) -> list[int]:
        recorded = set(self.recorded_measure_numbers)
        return [n for n in range(1, self.declared_measure_count + 1) if n not in recorded]

    def clean(self):
        if self.pk:
            highest = self.measures.aggregate(models.Max("number"))["number__max"]
            if highest and self.declared_measure_count is not None and self.declared_measure_count < highest:
                raise ValidationError(
                    {"declared_measure_count": f"已录入第{highest}条措施，措施总条数不能少于{highest}。"}
                )


class PolicySource(Audited):
    """Where the portal's information about a policy comes from (news article, notice, full text)."""

    policy = models.ForeignKey(Policy, verbose_name="政策", on_delete=models.CASCADE, related_name="sources")
    position = models.PositiveSmallIntegerField("顺序", default=1)
    label = models.CharField(
        "来源名称", max_length=200, help_text="如：厦门网 2025-02-17《科技创新引领 闯出“厦门路径”》"
    )
    url = models.URLField("网址", max_length=500)
    note = models.CharField("说明", max_length=300, blank=True, help_text="这份来源提供了哪些信息。")

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    duplicate_number_message = "同一政策下已有相同顺序号的来源，请换一个顺序号。"

    class Meta:
        verbose_name = "信息来源"
        verbose_name_plural = "信息来源"
        ordering = ["policy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "position"], name="source_position_unique_in_policy"),
        ]

    def __str__(self):
        return self.label


class Pillar(Audited):
    policy = models.ForeignKey(Policy, verbose_name="政策", on_delete=models.PROTECT, related_name="pillars")
    number = models.PositiveSmallIntegerField("序号", help_text="政策中的第几个方面，从1开始。")
    title = models.CharField("标题", max_length=200)
    title_en = english_gloss_field()

    duplicate_number_message = "该政策中已有相同序号的方面，请换一个序号。"

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "方面"
        verbose_name_plural = "方面"
        ordering = ["policy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="pillar_number_unique_in_policy"),
            models.CheckConstraint(
                name="pillar_number_positive",
                condition=models.Q(number__gte=1),
                violation_error_message="序号从1开始。",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("measures:pillar", kwargs={"slug": self.policy.slug, "number": self.number})


def measure_path(slug: str, number: int, view: str = "measures:measure") -> str:
    """A measure page's path (or that of another of its `view`s, as its calendar feed's): the finder, the
    API, search and the calendar link dozens at a time, and reverse() costs about as much as building the
    award they belong to."""
    return _measure_path(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), slug, number, view)


@functools.lru_cache(maxsize=8192)
def _measure_path(urlconf, script_prefix, slug, number, view) -> str:
    # Keyed by what reverse() reads besides the name and arguments: the URLconf and the script prefix.
    return reverse(view, kwargs={"slug": slug, "number": number})


class MeasureQuerySet(ContentQuerySet):
    def published(self):
        """The measures the public sees: not drafts."""
        return self.filter(status=PublicationStatus.PUBLISHED)

    def for_tree(self):
        """What a list of measures needs: numbers and titles, none of the clause text."""
        return self.only("id", "number", "title", "title_en", "policy_id", "pillar_id")

    def for_detail(self):
        """One measure page: its policy and pillar joined, its clauses and their awards prefetched."""
        return self.select_related("policy", "pillar").prefetch_related(
            models.Prefetch(
                "clauses",
                queryset=Clause.objects.published()
                .order_by("position")
                .prefetch_related(models.Prefetch("awards", queryset=Award.objects.published())),
            )
        )


class Measure(Audited):
    policy = models.ForeignKey(Policy, verbose_name="政策", on_delete=models.PROTECT, related_name="measures")
    pillar = models.ForeignKey(Pillar, verbose_name="所属方面", on_delete=models.PROTECT, related_name="measures")
    number = models.PositiveSmallIntegerField("条目编号", help_text="政策中的第几条措施（1–12）。")
    title = models.CharField("标题", max_length=200, help_text="措施标题，按原文录入。")
    # 核对: when an editor last compared the whole page with its sources. A stamp, not content: the
    # public history leaves it out (measures/domain/public_history.py), this history keeps who set it.
    checked_on = models.DateField(
        "与来源核对日期",
        null=True,
        blank=True,
        help_text="最近一次对照信息来源逐段核对本条措施（条款、金额、申兑信息）的日期，向公众显示。"
        "可在措施列表中选中后用“标记为今天已与来源核对”填写，历史记录会记下核对人。",
    )
    title_en = english_gloss_field()

    objects = MeasureQuerySet.as_manager()
    status = status_field()
    history = HistoricalRecords(bases=[BatchedHistory])

    duplicate_number_message = "该政策中已有相同编号的措施，请换一个编号。"

    class Meta:
        verbose_name = "措施"
        verbose_name_plural = "措施"
        ordering = ["policy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="measure_number_unique_in_policy"),
            # The upper bound (the policy's declared count) lives in another table, which a CHECK
            # cannot read: clean() enforces it for the admin and the loader.
            models.CheckConstraint(
                name="measure_number_positive",
                condition=models.Q(number__gte=1),
                violation_error_message="措施编号从1开始。",
            ),
        ]

    def __str__(self):
        return f"第{self.number}条 {self.title}"

    def save(self, *args, **kwargs):
        """Saving a new title also refreshes its clauses' search tokens (two queries)."""
        title_changed = not self._state.adding and self.title != getattr(self, "_saved_title", None)
        super().save(*args, **kwargs)
        self._saved_title = self.title
        if title_changed:
            self.clauses.all().refresh_search_tokens()

    def get_absolute_url(self):
        return measure_path(self.policy.slug, self.number)

    def get_calendar_url(self):
        """Its calendar feed's path (/policies/<slug>/measures/<n>/calendar.ics)."""
        return measure_path(self.policy.slug, self.number, "measures:measure_ics")

    @classmethod
    def after_bulk_write(cls, pks, using):
        Clause.objects.using(using).filter(measure_id__in=pks).refresh_search_tokens()

    def clean(self):
        errors = {}
        policy = self.policy if self.policy_id else None
        if policy and self.number is not None and self.number > policy.declared_measure_count:
            count = policy.declared_measure_count
            errors["number"] = f"本政策共{count}条措施，编号应在1到{count}之间，不能是{self.number}。"
        if policy and self.pillar_id and self.pillar.policy_id != policy.pk:
            errors["pillar"] = "所属方面必须是同一政策中的方面。"
        if errors:
            raise ValidationError(errors)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_title = instance.__dict__.get("title")  # None when deferred: refresh on save
        return instance


class PostgreSQLGinIndex(GinIndex):
    """A GIN index on PostgreSQL, and nothing elsewhere: SQLite has no GIN. Clause's (migration 0007) is gone
    since migration 0018; migration 0007 still names this class."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return ""  # an empty statement, which every database accepts and ignores
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return ""
        return super().remove_sql(model, schema_editor, **kwargs)


class ClauseQuerySet(ContentQuerySet):
    def refresh_search_tokens(self, batch_size: int = 500) -> int:
        """Recompute search_tokens for these clauses, without touching updated_at or sending signals
        (what a measure's new title needs). Returns how many rows changed."""
        changed = []
        rows = self.select_related("measure").only("id", "text", "search_tokens", "measure__title")
        for clause in rows.iterator(chunk_size=batch_size):
            value = tokens.clause_tokens(clause.measure.title, clause.text)
            if value != clause.search_tokens:
                clause.search_tokens = value
                changed.append(clause)
        # The plain manager: tokens are derived, not a recorded change (ContentQuerySet.bulk_update).
        self.model._base_manager.using(self.db).bulk_update(changed, ["search_tokens"], batch_size=batch_size)
        return len(changed)

    def published(self):
        """The clauses the public sees: published, not a pending draft of a change, in a published measure."""
        return self.filter(public_clause())


class Clause(Audited):
    class Provenance(models.TextChoices):
        POLICY_TEXT = "policy_text", _("政策原文")
        NEWS_SUMMARY = "news_summary", _("新闻摘要")

    measure = models.ForeignKey(Measure, verbose_name="措施", on_delete=models.PROTECT, related_name="clauses")
    position = models.PositiveSmallIntegerField(
        "段落序号", help_text="在措施中的第几段，从1开始；也是公开网址中的 #clause-序号。"
    )
    text = models.TextField("条款内容", help_text="照来源原样录入，不要改写。")
    provenance = models.CharField(
        "文字来源",
        max_length=20,
        choices=Provenance.choices,
        help_text="“政策原文”是文件的正式文字；“新闻摘要”是记者对政策的概述，不是原文。",
    )
    source_url = models.URLField("来源网址", max_length=500)
    is_complete = models.BooleanField(
        "文字完整", default=True, help_text="来源只能读到部分文字时取消勾选，公众页面会标明“内容不完整”。"
    )
    # What search's own table holds as the text's tokens (measures/search/table.py), computed on save from the
    # measure's title and the text.
    search_tokens = models.TextField("检索词元", editable=False, blank=True, default="")
    status = status_field()
    draft_of = models.ForeignKey(
        "self",
        verbose_name="修改草稿所对应的条款",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drafts",
        help_text="一段已发布条款的修改草稿：发布时其内容替换原条款，公众此前只看到原条款。",
    )

    objects = ClauseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_tokens"], bases=[BatchedHistory])

    duplicate_number_message = "该措施中已有相同序号的段落，请换一个序号。"

    class Meta:
        verbose_name = "条款"
        verbose_name_plural = "条款"
        ordering = ["measure", "position"]
        constraints = [
            # A draft of a change shares its clause's position; only the clauses themselves must differ.
            models.UniqueConstraint(
                fields=["measure", "position"],
                condition=models.Q(draft_of__isnull=True),
                name="clause_position_unique_in_measure",
                violation_error_message="该措施中已有相同序号的段落，请换一个序号。",
            ),
            models.UniqueConstraint(
                fields=["draft_of"],
                condition=models.Q(draft_of__isnull=False),
                name="one_pending_draft_per_clause",
                violation_error_message="这段条款已有一份待发布的修改草稿，请直接修改那份草稿。",
            ),
            models.CheckConstraint(
                name="clause_position_positive",
                condition=models.Q(position__gte=1),
                violation_error_message="段落序号从1开始。",
            ),
        ]

    def __str__(self):
        return f"第{self.measure.number}条第{self.position}段" if self.measure_id else f"第{self.position}段"

    def save(self, *args, **kwargs):
        """Recomputes search_tokens. Reads self.measure: one query unless it is loaded."""
        self.search_tokens = tokens.clause_tokens(self.measure.title, self.text)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_tokens"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """Its measure's page and its anchor. Reads self.measure and its policy: queries unless selected."""
        return f"{self.measure.get_absolute_url()}#{self.anchor}"

    @classmethod
    def before_bulk_create(cls, objs):
        titles = dict(Measure.objects.filter(pk__in={obj.measure_id for obj in objs}).values_list("pk", "title"))
        for obj in objs:
            obj.search_tokens = tokens.clause_tokens(titles.get(obj.measure_id, ""), obj.text)

    @classmethod
    def after_bulk_write(cls, pks, using):
        cls.objects.using(using).filter(pk__in=pks).refresh_search_tokens()

    @property
    def anchor(self) -> str:
        return f"clause-{self.position}"


# Where an award stands in its policy (migration 0005); policies in the order they were added.
# The column, "listed_policy_id": ordering by "listed_policy" would sort by Policy's own ordering (a join).
LISTING_ORDER = ("listed_policy_id", "listed_measure_number", "listed_clause_position", "position")
LISTED_FIELDS = (
    "listed_policy",
    "listed_pillar_number",
    "listed_measure_number",
    "listed_clause_position",
    "listed_window_kind",
    "listed_window_opens",
    "listed_window_closes",
)
FILTERED_FIELDS = ("listed_pillar_number", "recurrence", "limit")
# A dated window whose closing day the sources do not give is open as far as anyone knows: read as closing
# on the last day a date holds, "closing on or after a day, or on no given day" (正在受理, a month) is one
# range of window_closes() rather than a range or a NULL, which an index reads as one range (award_window_
# closing). Both databases sort it alike, a window with no closing day last.
NO_CLOSING_DAY = datetime.date(9999, 12, 31)
# What the calendar reads of an award to list a section's first ids, besides its window: its id, its pillar
# (a filter), its policy (a filter, and with the rest its order in the policies).
CALENDAR_READS = ["id", "listed_pillar_number", *LISTING_ORDER]


def window_closes():
    """The day an award's window closes, NO_CLOSING_DAY when not given (an expression, made anew for
    each query)."""
    return Coalesce("listed_window_closes", models.Value(NO_CLOSING_DAY))


class AwardQuerySet(ContentQuerySet):
    def published(self):
        """The awards the public sees: published, on a clause the public sees (ClauseQuerySet.published).
        Read from `is_public`, which the database keeps equal to that (migration 0005), so
        that the award finder needs no join to know it."""
        return self.filter(is_public=True)

    def in_policy(self, policy):
        return self.filter(listed_policy=policy)

    def for_listing(self):
        """Awards shown with a link to their clause: the clause and measure joined, no clause text."""
        return self.select_related("clause__measure").only(
            *(f.name for f in Award._meta.concrete_fields if f.name not in {"created_at", "updated_at", "updated_by"}),
            "clause__position",
            "clause__measure__number",
            "clause__measure__title",
            "clause__measure__policy_id",
        )

    def for_finder(self):
        """An award finder row or CSV line: clause, measure, pillar and policy joined (one query),
        without the long texts (the clause's text, the policy's preamble) nor the five rows' audit
        columns, which no list shows: rows are quicker to build without them (docs/benchmarks.md)."""
        joined = ("", "clause__", "clause__measure__", "clause__measure__policy__", "clause__measure__pillar__")
        return self.select_related("clause__measure__policy", "clause__measure__pillar").defer(
            "clause__text",
            "clause__measure__policy__preamble",
            *(f"{path}{name}" for path in joined for name in AUDITED_COLUMNS),
        )

    def largest_first(self):
        return self.order_by("-amount_yuan", *LISTING_ORDER)


class Award(Audited):
    class Limit(models.TextChoices):
        EXACT = vocabulary.EXACT, _("定额")
        CEILING = vocabulary.CEILING, _("最高限额")

    class Recurrence(models.TextChoices):
        ONCE = vocabulary.ONCE, _("一次性")
        PER_YEAR = vocabulary.PER_YEAR, _("每年")
        UNSPECIFIED = vocabulary.UNSPECIFIED, _("未注明")

    class Nature(models.TextChoices):
        REWARD = vocabulary.REWARD, _("奖励")
        SUBSIDY = vocabulary.SUBSIDY, _("补助")
        SUPPORT = vocabulary.SUPPORT, _("支持")

    clause = models.ForeignKey(Clause, verbose_name="条款", on_delete=models.PROTECT, related_name="awards")
    position = models.PositiveSmallIntegerField("顺序", default=1, help_text="在条款中的第几项金额，从1开始。")
    amount_yuan = models.BigIntegerField("金额（元）", help_text="以元为单位存储；后台表单按万元录入。")
    limit = models.CharField(
        "金额性质",
        max_length=10,
        choices=Limit.choices,
        help_text="“定额”：给予一笔确定金额（如一次性3000万元）；“最高限额”：最高/不超过该金额。",
    )
    recurrence = models.CharField(
        "发放频次", max_length=12, choices=Recurrence.choices, help_text="原文未写明一次性或每年时选“未注明”。"
    )
    per_recipient = models.BooleanField("按每家计", default=False, help_text="原文写“每家”时勾选。")
    nature = models.CharField("资助方式", max_length=10, choices=Nature.choices)
    recipient = models.CharField("支持对象", max_length=300)
    condition = models.CharField("条件", max_length=300, blank=True, help_text="如“新获批建设（含重组入列）”。")
    basis = models.CharField("计算依据", max_length=200, blank=True, help_text="如“按设备投入情况”。")
    source_phrase = models.CharField("原文表述", max_length=300, help_text="来源中写出这笔金额的原话，照录。")
    # On a clause's draft of a change, each award is a copy of one of the clause's awards (draft_of set) or a
    # new one (draft_of empty); publishing the draft writes the copies onto their originals, which keep their
    # ids, moves the new ones over and deletes the originals with no copy (measures/editing/publishing.py).
    draft_of = models.ForeignKey(
        "self",
        verbose_name="修改草稿所对应的奖补",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="drafts",
    )
    # What the award finder reads without joins, written only by database triggers (migration 0005).
    is_public = models.BooleanField("公开可见", default=False, editable=False)
    listed_policy = models.ForeignKey(
        Policy, on_delete=models.DO_NOTHING, db_constraint=False, null=True, editable=False, related_name="+"
    )
    listed_pillar_number = models.PositiveSmallIntegerField(null=True, editable=False)
    listed_measure_number = models.PositiveSmallIntegerField(null=True, editable=False)
    listed_clause_position = models.PositiveSmallIntegerField(null=True, editable=False)
    # The award's application window, its own record's else its measure's (ApplicationInfo; none when
    # neither says when: 未公布), read by the calendar; written only by database triggers (migration 0027).
    listed_window_kind = models.CharField(max_length=20, null=True, editable=False)  # noqa: DJ001 (NULL: no window, as the triggers write it)
    listed_window_opens = models.DateField(null=True, editable=False)
    listed_window_closes = models.DateField(null=True, editable=False)

    objects = AwardQuerySet.as_manager()
    status = status_field()
    history = HistoricalRecords(excluded_fields=["is_public", *LISTED_FIELDS], bases=[BatchedHistory])

    duplicate_number_message = "该条款中已有相同顺序号的金额，请换一个顺序号。"

    class Meta:
        verbose_name = "奖补金额"
        verbose_name_plural = "奖补金额"
        ordering = ["clause", "position"]
        indexes = [
            # The award finder reads the public awards in its two orders: by amount, then as in their policy;
            # on PostgreSQL the index also holds what the finder filters by, so counting reads only the index.
            models.Index(
                fields=["-amount_yuan", "listed_policy", *LISTING_ORDER[1:]],
                include=FILTERED_FIELDS,
                condition=models.Q(is_public=True),
                name="award_listing_largest",
            ),
            models.Index(
                fields=["amount_yuan", "listed_policy", *LISTING_ORDER[1:]],
                include=FILTERED_FIELDS,
                condition=models.Q(is_public=True),
                name="award_listing_smallest",
            ),
            # The calendar's sections and months: ranges of the public awards' windows' closing days.
            # Each of the calendar's three indexes also holds the rest of what a section's first ids are read
            # with (CALENDAR_READS), so that PostgreSQL reads them from the index alone.
            models.Index(
                models.F("listed_window_kind"),
                window_closes(),
                models.F("listed_window_opens"),
                include=["listed_window_closes", *CALENDAR_READS],
                condition=models.Q(is_public=True),
                name="award_window_closing",
            ),
            # 即将开始 in the order of the opening day, and 常年受理 and 以年度通知为准 in the policies' order:
            # a section's first awards read straight from an index, also when a filter keeps few of them.
            models.Index(
                fields=["listed_window_kind", "listed_window_opens"],
                include=CALENDAR_READS,
                condition=models.Q(is_public=True),
                name="award_window_opens",
            ),
            models.Index(
                fields=["listed_window_kind", *LISTING_ORDER],
                include=["id", "listed_pillar_number"],
                condition=models.Q(is_public=True),
                name="award_window_listing",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["clause", "position"], name="award_position_unique_in_clause"),
            models.UniqueConstraint(
                fields=["draft_of"], condition=models.Q(draft_of__isnull=False), name="one_draft_copy_per_award"
            ),
            models.CheckConstraint(
                name="award_amount_not_negative",
                condition=models.Q(amount_yuan__gte=0),
                violation_error_message="金额不能为负数。",
            ),
        ]

    def __str__(self):
        return f"{self.display_text}{self.get_nature_display()}（{self.recipient}）"

    @property
    def amount_wan(self):
        return money.yuan_to_wan(self.amount_yuan)

    @property
    def display_text(self) -> str:
        """'一次性3000万元', '每年每家最高500万元', '最高300万元': derived, never typed. Always Chinese,
        whatever the interface language: it is the policy's own wording (admin, exports, API)."""
        return self.display_text_in("zh-hans")

    @property
    def localized_display_text(self) -> str:
        """display_text in the active interface language, for the public pages: in English
        'one-off RMB 30 million', 'up to RMB 5 million per year per organisation'."""
        return self.display_text_in(translation.get_language())

    def display_text_in(self, language: str | None) -> str:
        return money.format_award(
            self.amount_yuan,
            ceiling=self.limit == self.Limit.CEILING,
            recurrence=self.recurrence,
            per_recipient=self.per_recipient,
            language=language,
        )
