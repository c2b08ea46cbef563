"""A synthetic corpus for benchmarks: hundreds of policies that read like Xiamen's, built from a seed.

The one real policy has six measures and a dozen clauses; search, the award finder and the pages
must also stay fast on a knowledge base of hundreds of policies. This module writes such a base:
each policy follows the real one's shape (4 pillars, 12 measures, clauses with awards), and its
text is made of sentence templates filled with real policy terms (专精特新, 中试, 金砖 …) drawn
with a Zipf-like skew, so that, as in real policy text, a few terms occur everywhere and most are
rare. Search timings measured on it then mean something for both kinds of query.

Three promises:

- Reproducible: a policy's content depends only on the seed, its index and the number of clauses
  per policy (each policy has its own random.Random("<seed>:<index>")), so a corpus grown from 5
  to 50 policies equals one generated with 50 at once, and a benchmark can be rerun on equal data.
- Kept apart: every title says 【合成测试数据】, every slug starts with `synthetic-`, and
  generate() refuses a database that holds any other policy, or another seed's corpus.
- Fast and realistic underneath: rows are written with bulk_create, with their history rows
  (so the history tables, and measures.domain.revision.content_revision(), look as after real edits)
  and their search tokens (bulk_create bypasses Clause.save()). On PostgreSQL the search indexes are
  dropped while inserting and rebuilt once at the end (see _search_index_rebuilt).
"""

import contextlib
import datetime
import itertools
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count

from measures.domain import public_history
from measures.domain.eligibility import ApplicationInfo, AwardRecipientKind, RecipientKind, WindowKind
from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource
from measures.search import table as search_table
from measures.text import money, tokens

SLUG_PREFIX = "synthetic-"
TITLE_MARK = "【合成测试数据】"
CHANGE_REASON = "生成合成测试数据"  # the reason (变更说明) every history row of the corpus carries
SOURCE_URL = "https://example.invalid/synthetic/{slug}"  # .invalid: a name that can never resolve
KIND_SLUG = "synthetic-kind-{index:02d}"  # the recipient kinds, one per entity of ENTITIES
KIND_MARK = "【合成】"

PILLARS_PER_POLICY = 4
MEASURES_PER_POLICY = 12  # as the real policy declares
MIN_CLAUSES_PER_POLICY = MEASURES_PER_POLICY  # every measure has at least one clause
CLAUSE_MIN_CHARS = 60
CLAUSE_MAX_CHARS = 250
AWARD_SHARE = 0.4  # the share of clauses that name an amount
# Application windows (申报时间), for the calendar: each measure's kind of window drawn with these shares
# (the rest have none: 未公布), and a share of awards with a window of their own. Dated windows fall in
# the three years from WINDOW_BASE, so that whatever the day of a run some are open, some closing soon,
# some to come and some closed.
MEASURE_WINDOW_SHARES = ((WindowKind.DATES, 0.35), (WindowKind.YEAR_ROUND, 0.15), (WindowKind.ANNUAL_NOTICE, 0.15))
OWN_WINDOW_SHARE = 0.1
WINDOW_BASE = datetime.date(2026, 1, 1)

# Rows held in memory between two writes: small enough to stay light, large enough for few round trips.
CLAUSES_PER_FLUSH = 5_000
BATCH_SIZE = 1_000  # rows per INSERT, well below PostgreSQL's 65,535 parameters per statement

_SLUG = re.compile(rf"^{SLUG_PREFIX}(\d+)-(\d+)$")


class CorpusError(Exception):
    """A corpus that cannot be written into this database (its message says why, in Chinese and English)."""


# The vocabulary: real terms of Chinese (and Xiamen's) science and technology policy, most common
# first within each list, since the draw below favours the start of a list.

FIELDS = (
    "人工智能", "生物医药", "集成电路", "新型显示", "新能源", "新材料", "软件和信息服务", "数字经济",
    "高端装备", "智能制造", "半导体", "氢能与储能", "海洋高新", "医疗器械", "第三代半导体", "低空经济",
    "商业航天", "合成生物", "量子科技", "工业互联网", "区块链", "大数据", "云计算", "物联网", "机器人",
    "智能网联汽车", "光电子", "精准医疗", "细胞治疗", "基因技术", "创新药", "海洋生物", "新一代信息技术",
    "北斗导航", "柔性电子", "锂电池", "光伏", "节能环保", "绿色低碳", "空天信息", "脑科学", "元宇宙",
    "先进制造", "现代种业", "文化创意", "深海装备", "生物制造", "类脑智能", "未来网络", "算力基础设施",
    "数据要素", "新能源汽车", "航空维修", "化合物半导体", "医学影像", "体外诊断", "疫苗", "中医药",
    "海洋药物", "电子信息", "海洋碳汇", "深远海养殖", "生物育种", "固态电池", "钠离子电池", "钙钛矿",
    "碳化硅", "氮化镓", "光刻胶", "工业软件", "卫星互联网", "人形机器人", "脑机接口", "具身智能",
    "可控核聚变",
)  # fmt: skip

ENTITIES = (
    "高新技术企业", "科技型中小企业", "专精特新企业", "专精特新“小巨人”企业", "瞪羚企业", "龙头企业",
    "新型研发机构", "高校", "科研院所", "科技企业孵化器", "独角兽企业", "众创空间", "加速器",
    "大学科技园", "技术转移机构", "概念验证中心", "中试平台", "重点实验室", "工程技术研究中心",
    "企业技术中心", "创新联合体", "产业技术研究院", "科技服务机构", "未来独角兽企业", "单项冠军企业",
    "链主企业", "院士工作站", "博士后科研工作站", "外资研发中心", "台资企业", "海外创新中心",
    "离岸孵化基地", "医疗卫生机构", "创投机构", "天使投资机构", "知识产权服务机构", "检验检测机构",
    "技术经纪人", "高层次人才团队", "青年科技人才", "科技特派员", "省创新实验室", "国家级创新平台",
    "全国重点实验室", "国家技术创新中心", "国家制造业创新中心", "国家工程研究中心", "规上工业企业",
    "港澳科研机构", "金砖国家科研机构", "产业创新中心", "共性技术平台", "科技成果转化中心", "中试基地",
    "概念验证平台", "科技领军企业", "初创科技企业", "留学人员创业园", "两岸青年创业基地",
    "技术创新示范企业", "知识产权示范企业", "标准化试点单位", "临床医学研究中心", "研究型医院",
    "产业投资基金",
)  # fmt: skip

ACTIVITIES = (
    "研发投入", "科技成果转化", "关键核心技术攻关", "产学研合作", "首台套", "揭榜挂帅", "重大科技专项",
    "技术合同登记", "知识产权质押融资", "科技保险", "科技信贷", "风险补偿", "研发费用加计扣除",
    "科技创新券", "技术改造", "标准制定", "首批次", "首版次", "专利导航", "中试验证", "概念验证",
    "场景开放", "应用示范", "数字化转型", "智能化改造", "绿色化转型", "国际科技合作", "对台科技合作",
    "成果转化收益分配", "职务科技成果赋权", "先使用后付费", "尽职免责", "人才引进", "股权投资",
    "天使投资", "创业投资", "贷款贴息", "科技金融", "知识产权保护", "检验检测认证", "技术转移",
    "科技评价改革", "项目评审改革", "经费包干制", "科研诚信建设", "科学普及", "产业链协同",
    "供应链配套", "创新链融合", "企业研发机构建设", "孵化育成", "创新创业大赛", "两岸融合发展",
    "金砖创新合作", "数据开放共享", "大型科研仪器共享", "军民融合", "服务外包", "概念验证服务",
    "中试熟化", "科技伦理审查", "技术预见", "科研助理岗位", "揭榜攻关", "科技成果评价", "技术入股",
    "跨境研发", "数据跨境流动", "首购首用", "政府采购创新产品", "科研仪器进口免税", "研发设备加速折旧",
    "离岸创新", "科技人员兼职创业", "概念验证基金",
)  # fmt: skip

PLACES = (
    "厦门科学城", "火炬高新区", "自贸片区", "环厦大科技创新圈", "集美创新街区", "嘉庚创新实验室",
    "翔安创新实验室", "鹭江创新实验室", "金砖国家新工业革命伙伴关系创新基地",
    "中国—金砖国家新时代科创孵化园", "厦门生物医药港", "软件园三期", "同安工业集中区", "马銮湾新城",
    "创新飞地", "厦漳泉都市圈", "闽西南协同发展区", "两岸集成电路产业园", "海沧生物医药港",
    "东部体育会展新城",
)  # fmt: skip

BODIES = (
    "市科技局", "市工信局", "市发展改革委", "市财政局", "市人社局", "市市场监管局", "市地方金融管理局",
    "市教育局", "市卫健委", "市商务局", "市台港澳办", "市知识产权局", "市国资委", "各区人民政府",
    "火炬高新区管委会", "自贸委", "市委人才办", "市数据管理局", "市投资促进局", "市税务局",
)  # fmt: skip

CONDITIONS = (
    "新认定", "新获批建设", "首次入选", "考核评估优秀", "通过国家级复核", "新引进落地",
    "牵头承担国家重大科技项目", "年度研发投入增长20%以上", "年营业收入首次突破1亿元", "获得首台套认定",
    "新备案", "绩效评价为优秀", "实现科技成果在厦转化", "技术合同成交额超过5000万元",
    "获得国家科学技术奖", "新设立",
)  # fmt: skip

BASES = (
    "按设备投入情况", "按研发投入的20%", "按实际到位投资额的10%", "按技术合同成交额的5%",
    "按贷款利息的50%", "按年度绩效评价结果", "按项目总投资的30%", "按新增研发投入的15%",
)  # fmt: skip

# Who issues a policy, and the prefix of its document numbers.
ISSUERS = (
    ("厦门市人民政府", "厦府"),
    ("中共厦门市委、厦门市人民政府", "厦委发"),
    ("厦门市人民政府办公厅", "厦府办"),
    ("厦门市科学技术局", "厦科"),
    ("厦门市科学技术局、厦门市财政局", "厦科联"),
    ("厦门市工业和信息化局", "厦工信"),
    ("厦门市发展和改革委员会", "厦发改"),
)

# Sentence templates. Slots: {field} {field2} {entity} {entity2} {activity} {activity2} {place} {body} {body2}.
SENTENCES = (
    "支持{entity}围绕{field}领域开展{activity}",
    "鼓励{entity}加大{activity}力度，提升{field}产业核心竞争力",
    "推动{field}与{field2}融合发展，培育一批{entity}",
    "依托{place}，集聚{field}领域{entity}",
    "由{body}会同{body2}负责组织实施",
    "完善{activity}机制，畅通{entity}与{entity2}的合作渠道",
    "探索{activity}新模式，形成可复制可推广的经验",
    "引导{entity}参与{activity}，促进{activity2}",
    "聚焦{field}、{field2}等重点领域，实施{activity}行动",
    "强化{place}创新策源功能，推进{activity}",
    "对符合条件的{entity}，优先推荐申报国家和省级科技计划项目",
    "建立{activity}服务体系，为{entity}提供全生命周期服务",
    "支持{entity}牵头组建创新联合体，开展{field}领域{activity}",
    "统筹{body}相关资金，加大对{field}产业{activity}的支持",
    "落实{activity}政策，降低{entity}创新成本",
    "加快{field}领域{entity}布局，推动{activity}提质增效",
    "发挥{entity}作用，带动{field}产业链上下游协同创新",
    "推进{place}与{entity}共建共享，深化{activity}",
)
FILLERS = ("具体办法另行制定", "按规定执行", "所需资金由市、区按现行财政体制分担", "鼓励各区出台配套政策")
AWARD_SENTENCES = (
    "对{condition}的{recipient}，{phrase}",
    "支持{recipient}开展{activity}，对{condition}的，{phrase}",
)
MEASURE_TITLES = (
    "加快{field}产业创新发展",
    "培育壮大{entity}",
    "强化{activity}支撑",
    "推进{activity}改革",
    "完善{activity}服务体系",
    "支持{entity}做大做强",
    "提升{place}创新能级",
    "深化{activity}",
    "打造{field}创新高地",
    "构建{field}产业生态",
    "加强{entity}建设",
    "促进{activity}与{activity2}协同",
)
PILLAR_TITLES = (
    "提升科技与产业协同创新平台功能",
    "深化科技管理服务创新",
    "夯实企业科技创新主体地位",
    "完善科技成果转移转化支撑体系",
    "强化{field}产业创新引领",
    "优化{activity}创新生态",
    "壮大{entity}创新集群",
    "拓展{activity}开放合作",
)
POLICY_TOPICS = (
    "加快{field}产业高质量发展",
    "支持{entity}创新发展",
    "深化{activity}改革",
    "推动科技创新和产业创新深度融合",
    "促进{field}与{field2}融合发展",
    "强化{place}科技创新引领",
)
PREAMBLE = (
    "为深入实施创新驱动发展战略，加快{field}、{field2}等产业发展，推动{activity}，进一步提升"
    "{place}创新能级，结合我市实际，制定如下措施。"
)

# Amounts in 万元, smaller ones more frequent, as in the real policies (10万元 … 5000万元).
AMOUNTS_WAN = (10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000)
AMOUNT_WEIGHTS = (8, 8, 6, 10, 12, 9, 7, 8, 6, 3, 3, 2)
# An award's wording is always the policy's Chinese (like Award.display_text), whatever the active language.
NATURE_WORDS = {Award.Nature.REWARD: "奖励", Award.Nature.SUBSIDY: "补助", Award.Nature.SUPPORT: "支持"}


class _Zipf:
    """Draws from `terms` with weight 1/(rank + offset)^exponent (Zipf–Mandelbrot): the first few terms
    are common and the long tail rare, as word frequencies are in real text. A plain 1/rank over lists
    of sixty terms left no term rarer than ~1% of clauses; this steeper tail gives the benchmark
    queries of every selectivity (on 100,000 clauses: a few terms in over half of them, the median
    in ~1%, a hundred terms in under 0.5%), and the offset keeps the head from being in every clause."""

    def __init__(self, terms: Sequence[str], exponent: float = 2.5, offset: float = 4):
        self.terms = tuple(terms)
        weights = (1 / (rank + offset) ** exponent for rank in range(1, len(terms) + 1))
        self.cum_weights = list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random) -> str:
        return rng.choices(self.terms, cum_weights=self.cum_weights)[0]


_DRAW = {
    "field": _Zipf(FIELDS),
    "entity": _Zipf(ENTITIES),
    "activity": _Zipf(ACTIVITIES),
    "place": _Zipf(PLACES),
    "body": _Zipf(BODIES),
}

VOCABULARY = tuple(dict.fromkeys((*FIELDS, *ENTITIES, *ACTIVITIES, *PLACES, *BODIES, *CONDITIONS, *BASES)))


def _fill(rng: random.Random, template: str, **given: str) -> str:
    """The template with the `given` slots filled in and every other slot drawn from its vocabulary;
    a slot's second occurrence ({field2}) is drawn again until it differs from the first."""
    values = dict(given)
    for kind, draw in _DRAW.items():
        if "{" + kind in template:
            values[kind] = draw(rng)
            second = kind + "2"
            if "{" + second + "}" in template:
                values[second] = values[kind]
                while values[second] == values[kind]:
                    values[second] = draw(rng)
    return template.format_map(values)


def _distinct(rng: random.Random, templates: Sequence[str], count: int) -> list[str]:
    """`count` different texts from the templates (titles within one policy should not repeat)."""
    found: dict[str, None] = {}
    while len(found) < count:
        found[_fill(rng, rng.choice(templates))] = None
    return list(found)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` split into `parts` positive counts, unevenly, as real measures differ in length."""
    weights = [rng.uniform(0.4, 2.0) for _ in range(parts)]
    counts = [1] * parts
    for part in rng.choices(range(parts), weights=weights, k=total - parts):
        counts[part] += 1
    return counts


def slug_for(seed: int, index: int) -> str:
    return f"{SLUG_PREFIX}{seed}-{index:04d}"


@dataclass
class PolicyRows:
    """One generated policy: unsaved model instances, each child pointing at its parent instance."""

    policy: Policy
    sources: list[PolicySource]
    pillars: list[Pillar]
    measures: list[Measure]
    clauses: list[Clause]
    awards: list[Award]
    windows: list[ApplicationInfo]


def build_policy(seed: int, index: int, clauses_per_policy: int) -> PolicyRows:
    """Policy `index` of the corpus of `seed`: the same rows on every run, whatever else is generated."""
    rng = random.Random(f"{seed}:{index}")
    slug = slug_for(seed, index)
    url = SOURCE_URL.format(slug=slug)
    issuing_bodies, number_prefix = rng.choice(ISSUERS)
    issue_date = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3800))  # 2015 to mid-2025
    delayed_start = rng.random() < 0.3
    policy = Policy(
        slug=slug,
        title=f"{TITLE_MARK}厦门市关于{_fill(rng, rng.choice(POLICY_TOPICS))}的若干措施（第{index:04d}号）",
        short_title="若干措施",
        document_number=f"{number_prefix}〔{issue_date.year}〕{rng.randint(1, 60)}号",
        issuing_bodies=issuing_bodies,
        preamble=_fill(rng, PREAMBLE),
        issue_date=issue_date,
        issue_date_confirmed=True,
        issue_date_note="合成测试数据：日期为随机生成，并非真实政策。",
        effective_date=issue_date + datetime.timedelta(days=rng.choice((30, 60, 90))) if delayed_start else None,
        validity_years=rng.choice((None, 2, 3, 3, 5)),
        declared_measure_count=MEASURES_PER_POLICY,
        is_featured=index == 1,  # the home page shows a synthetic policy
    )
    sources = [
        PolicySource(
            policy=policy,
            position=1,
            label=f"合成测试数据生成器（种子 {seed}，第{index:04d}号）",
            url=url,
            note="由 generate_corpus 生成的基准测试数据，不是真实政策。",
        )
    ]
    pillars = [
        Pillar(policy=policy, number=number, title=title)
        for number, title in enumerate(_distinct(rng, PILLAR_TITLES, PILLARS_PER_POLICY), start=1)
    ]
    pillar_counts = _split(rng, MEASURES_PER_POLICY, PILLARS_PER_POLICY)
    pillar_of_measure = [pillar for pillar, count in zip(pillars, pillar_counts, strict=True) for _ in range(count)]
    measure_titles = _distinct(rng, MEASURE_TITLES, MEASURES_PER_POLICY)
    measures = [
        Measure(policy=policy, pillar=pillar, number=number, title=title)
        for number, (pillar, title) in enumerate(zip(pillar_of_measure, measure_titles, strict=True), start=1)
    ]
    clauses, awards = [], []
    for measure, count in zip(measures, _split(rng, clauses_per_policy, MEASURES_PER_POLICY), strict=True):
        for position in range(1, count + 1):
            clause = Clause(
                measure=measure,
                position=position,
                provenance=Clause.Provenance.POLICY_TEXT,
                source_url=url,
                is_complete=True,
            )
            clause_awards = _awards(rng, clause)
            clause.text = _clause_text(rng, [_award_sentence(rng, award) for award in clause_awards])
            clause.search_tokens = tokens.clause_tokens(measure.title, clause.text)
            clauses.append(clause)
            awards.extend(clause_awards)
    windows = _windows(random.Random(f"{seed}:{index}:windows"), measures, awards)
    return PolicyRows(policy, sources, pillars, measures, clauses, awards, windows)


def _windows(rng: random.Random, measures: list[Measure], awards: list[Award]) -> list[ApplicationInfo]:
    """The measures' and some awards' application windows, a mix of every kind. A generator of its own
    (rng), so that adding windows left the rest of the corpus as it was."""
    infos = []
    for measure in measures:
        draw, kind = rng.random(), None
        for candidate, share in MEASURE_WINDOW_SHARES:
            if draw < share:
                kind = candidate
                break
            draw -= share
        if kind is not None:
            infos.append(ApplicationInfo(measure=measure, window_kind=kind, **_dates(rng, kind)))
    for award in awards:
        if rng.random() < OWN_WINDOW_SHARE:
            kind = rng.choice((WindowKind.DATES, WindowKind.DATES, WindowKind.YEAR_ROUND))
            infos.append(ApplicationInfo(award=award, window_kind=kind, **_dates(rng, kind)))
    return infos


def _dates(rng: random.Random, kind: str) -> dict:
    if kind != WindowKind.DATES:
        return {}
    opens = WINDOW_BASE + datetime.timedelta(days=rng.randrange(3 * 365))
    closes = opens + datetime.timedelta(days=rng.randrange(14, 120))
    known = rng.random()
    if known < 0.1:
        return {"window_closes": closes}  # a notice giving only its deadline
    if known < 0.15:
        return {"window_opens": opens}
    return {"window_opens": opens, "window_closes": closes}


def _awards(rng: random.Random, clause: Clause) -> list[Award]:
    """None for most clauses, one or two for AWARD_SHARE of them; two awards never share a wording."""
    if rng.random() >= AWARD_SHARE:
        return []
    awards: list[Award] = []
    for position in range(1, 1 + (1 if rng.random() < 0.7 else 2)):
        while True:
            award = _award(rng, clause, position)
            if all(award.source_phrase != other.source_phrase for other in awards):
                break
        awards.append(award)
    return awards


def _award(rng: random.Random, clause: Clause, position: int) -> Award:
    ceiling = rng.random() < 0.65
    recurrences = (Award.Recurrence.UNSPECIFIED, Award.Recurrence.PER_YEAR, Award.Recurrence.ONCE)
    field_name = _DRAW["field"](rng) if rng.random() < 0.3 else ""
    award = Award(
        clause=clause,
        position=position,
        amount_yuan=money.wan_to_yuan(rng.choices(AMOUNTS_WAN, weights=AMOUNT_WEIGHTS)[0]),
        limit=Award.Limit.CEILING if ceiling else Award.Limit.EXACT,
        recurrence=rng.choices(recurrences, weights=(6, 3, 1) if ceiling else (3, 2, 5))[0],
        per_recipient=rng.random() < 0.3,
        nature=rng.choices(list(NATURE_WORDS), weights=(45, 30, 25))[0],
        recipient=f"{field_name}领域{_DRAW['entity'](rng)}" if field_name else _DRAW["entity"](rng),
        condition=rng.choice(CONDITIONS),
        basis=rng.choice(BASES) if rng.random() < 0.25 else "",
    )
    # The wording the text will carry, from the same formatting as the pages ('每年每家最高500万元').
    award.source_phrase = f"{award.basis}给予{award.display_text_in('zh-hans')}{NATURE_WORDS[award.nature]}"
    return award


def _award_sentence(rng: random.Random, award: Award) -> str:
    return _fill(
        rng,
        rng.choice(AWARD_SENTENCES),
        condition=award.condition,
        recipient=award.recipient,
        phrase=award.source_phrase,
    )


def _clause_text(rng: random.Random, award_sentences: list[str]) -> str:
    """CLAUSE_MIN_CHARS to CLAUSE_MAX_CHARS characters: the award sentences, and template sentences
    around them up to a length drawn for this clause (most clauses short, some long)."""
    sentences = [sentence + "。" for sentence in award_sentences]
    length = sum(map(len, sentences))
    target = int(rng.triangular(CLAUSE_MIN_CHARS, CLAUSE_MAX_CHARS, 110))
    misses = 0
    used = set()  # a template said twice in one clause would read as a copying error
    while length < target and misses < 5:
        template = rng.choice(SENTENCES)
        sentence = _fill(rng, template) + "。"
        if template in used or length + len(sentence) > CLAUSE_MAX_CHARS:
            misses += 1
            continue
        used.add(template)
        sentences.insert(rng.randint(0, len(sentences)), sentence)
        length += len(sentence)
    while length < CLAUSE_MIN_CHARS:  # a filler always fits: room left is then far larger than one
        sentence = rng.choice(FILLERS) + "。"
        sentences.append(sentence)
        length += len(sentence)
    return "".join(sentences)


@dataclass
class GenerationReport:
    kept_policies: int = 0  # already in the database, left as they were
    policies: int = 0  # the rows written by this run
    pillars: int = 0
    measures: int = 0
    clauses: int = 0
    awards: int = 0
    seconds: float = 0.0


def kind_group(entity: str) -> str:
    """The calculator's group of a synthetic kind, from its words."""
    Group = RecipientKind.Group
    if any(word in entity for word in ("孵化", "加速器", "众创", "科技园", "创业")):
        return Group.INCUBATOR
    if "基地" in entity or "工作站" in entity:
        return Group.BASE
    if "企业" in entity or "单位" in entity:
        return Group.ENTERPRISE
    if any(word in entity for word in ("人才", "团队", "特派员", "经纪人", "基金")):
        return Group.PROJECT
    return Group.PLATFORM


def synthetic_kinds() -> dict[str, RecipientKind]:
    """The recipient kinds of the corpus, one per entity (created when missing), by entity."""
    kinds = {}
    for index, entity in enumerate(ENTITIES, start=1):
        kinds[entity], _created = RecipientKind.objects.get_or_create(
            slug=KIND_SLUG.format(index=index),
            defaults={"name": f"{KIND_MARK}{entity}", "group": kind_group(entity), "order": index},
        )
    return kinds


# Longest first: "未来独角兽企业" is not tagged as a "独角兽企业".
_ENTITIES_LONGEST_FIRST = sorted(ENTITIES, key=len, reverse=True)


def kind_links(awards: list[Award], kinds: dict[str, RecipientKind]) -> list[AwardRecipientKind]:
    """Each award tagged, as the real policy's are, with the kind its own recipient words name: the entity
    its recipient ends with ("人工智能领域高新技术企业" → 高新技术企业)."""
    links = []
    for award in awards:
        entity = next(entity for entity in _ENTITIES_LONGEST_FIRST if award.recipient.endswith(entity))
        links.append(AwardRecipientKind(award=award, kind=kinds[entity]))
    return links


def database_name() -> str:
    return f"{connection.settings_dict['NAME']}（{connection.vendor}）"


def generate(
    *,
    seed: int,
    policies: int,
    clauses_per_policy: int,
    progress: Callable[[int, int], None] | None = None,
    announce: Callable[[str], None] | None = None,
) -> GenerationReport:
    """Make the corpus of `seed` hold policies 1..`policies`, creating the missing ones, in one
    transaction: an interrupted run leaves the database as it was. `progress(done, total)` is called
    after each write, counting the policies to create; `announce(message)` before the slow steps
    that follow them (on PostgreSQL, about a quarter of the time). Raises CorpusError for a database
    it must not write into."""
    announce = announce or (lambda message: None)
    started = time.monotonic()
    report = GenerationReport()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Two runs at once would both create the same missing policies: the second waits here.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Policy._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        existing = _existing_indexes(seed, clauses_per_policy)
        missing = [index for index in range(1, policies + 1) if index not in existing]
        report.kept_policies = len(existing)
        if missing:
            with _search_index_rebuilt(announce):
                _write(seed, missing, clauses_per_policy, report, progress)
            # The history was written in bulk, without the signals that record the public history.
            announce("重建公开修改记录……")
            public_history.rebuild()
    if missing:
        _analyze(announce)
    report.seconds = time.monotonic() - started
    return report


def _existing_indexes(seed: int, clauses_per_policy: int) -> set[int]:
    """The indexes of this seed's policies already in the database, after checking that the database
    holds nothing else and that they have as many clauses as asked for now."""
    foreign = list(Policy.objects.exclude(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)[:3])
    if foreign:
        raise CorpusError(
            f"数据库 {database_name()} 中有非合成政策（{'、'.join(foreign)}），为免与真实内容混在一起，拒绝写入"
            "合成语料；请为基准测试使用单独的数据库。 / The database holds real policies "
            f"({', '.join(foreign)}): refusing to mix synthetic data into it; use a separate database for benchmarks."
        )
    counts = dict(  # only synthetic policies are left here
        Policy.objects.order_by("slug")
        .annotate(clause_count=Count("measures__clauses"))
        .values_list("slug", "clause_count")
    )
    indexes = {}
    for slug, clause_count in counts.items():
        match = _SLUG.match(slug)
        if not match or int(match[1]) != seed:
            raise CorpusError(
                f"数据库中已有另一份合成语料（{slug}），不能混入种子 {seed} 的数据；请使用空数据库，或沿用原来的种子。"
                f" / The database holds another synthetic corpus ({slug}): refusing to mix seed {seed} into it; "
                "use an empty database or the same seed."
            )
        indexes[int(match[2])] = clause_count
    differing = {count for count in indexes.values() if count != clauses_per_policy}
    if differing:
        raise CorpusError(
            f"已有的合成政策每项有 {min(differing)} 段条款，与 --clauses-per-policy {clauses_per_policy} 不一致；"
            "沿用原来的条款数，或换用空数据库。 / The existing synthetic policies have "
            f"{min(differing)} clauses each, not {clauses_per_policy}: use the same number or an empty database."
        )
    return set(indexes)


@contextlib.contextmanager
def _search_index_rebuilt(announce: Callable[[str], None]):
    """On PostgreSQL, drop search's GIN index (measures/search/table.py) for the duration and create it again
    after, and count its tokens once at the end: with fastupdate off every inserted row would update the
    index in place, which makes a bulk insert many times slower than one build at the end. Meant to run
    inside the transaction that inserts, so an interrupted run also brings the index back (DDL is
    transactional on PostgreSQL). Nothing on other databases."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {search_table.TOKENS_INDEX}")
        for trigger in search_table.COUNT_TRIGGERS:  # and its token counts are made once at the end
            cursor.execute(f"ALTER TABLE {search_table.TABLE} DISABLE TRIGGER {trigger}")
    yield
    # Django's foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED), and PostgreSQL
    # refuses to build an index on a table with checks still pending: run them now.
    connection.check_constraints()
    announce(f"重建检索索引 {search_table.TOKENS_INDEX}……")
    with connection.cursor() as cursor:
        cursor.execute(search_table.TOKENS_INDEX_SQL)
        for trigger in search_table.COUNT_TRIGGERS:
            cursor.execute(f"ALTER TABLE {search_table.TABLE} ENABLE TRIGGER {trigger}")
    search_table.recount()


def _write(
    seed: int,
    indexes: list[int],
    clauses_per_policy: int,
    report: GenerationReport,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Build and insert the policies at `indexes`, a few at a time (CLAUSES_PER_FLUSH clauses)."""
    per_flush = max(1, CLAUSES_PER_FLUSH // clauses_per_policy)
    kinds = synthetic_kinds()
    for start in range(0, len(indexes), per_flush):
        built = [build_policy(seed, index, clauses_per_policy) for index in indexes[start : start + per_flush]]
        # Parents first: bulk_create sets their primary keys, which their children read when inserted.
        for model, objs in (
            (Policy, [one.policy for one in built]),
            (PolicySource, [source for one in built for source in one.sources]),
            (Pillar, [pillar for one in built for pillar in one.pillars]),
            (Measure, [measure for one in built for measure in one.measures]),
            (Clause, [clause for one in built for clause in one.clauses]),
            (Award, [award for one in built for award in one.awards]),
            (AwardRecipientKind, kind_links([award for one in built for award in one.awards], kinds)),
            (ApplicationInfo, [info for one in built for info in one.windows]),
        ):
            # The plain manager and the history written alongside, as simple_history's bulk helper does:
            # the content QuerySets would record each bulk write under their own reason.
            model._base_manager.bulk_create(objs, batch_size=BATCH_SIZE)
            model.history.bulk_history_create(objs, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON)
        report.policies += len(built)
        report.pillars += sum(len(one.pillars) for one in built)
        report.measures += sum(len(one.measures) for one in built)
        report.clauses += sum(len(one.clauses) for one in built)
        report.awards += sum(len(one.awards) for one in built)
        if progress:
            progress(report.policies, len(indexes))


def _analyze(announce: Callable[[str], None]) -> None:
    """Fresh planner statistics for the tables just filled (PostgreSQL only; autovacuum would take a while)."""
    if connection.vendor != "postgresql":
        return
    announce("更新查询统计信息（ANALYZE）……")
    models = (Policy, PolicySource, Pillar, Measure, Clause, Award, RecipientKind, AwardRecipientKind, ApplicationInfo)
    tables = [model._meta.db_table for model in models]
    tables += [search_table.TABLE, search_table.FREQUENCY]
    tables += [model.history.model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(table) for table in tables)}")
