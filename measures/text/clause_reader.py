"""Reading the amounts of money in a clause of a Chinese policy: a paragraph in, its awards and other
amounts out (`read_clause`), and an award checked against its own source phrase (`phrase_disagreement`).
Pure functions, no database.

Nothing is invented: every value carries the characters it was read from (`source_phrase`, with `start`
and `end` offsets into the text), and what cannot be read with confidence is flagged, not guessed.
See docs/architecture.md#reading-a-policys-text.
"""

import bisect
import os
import re
from dataclasses import dataclass, field

from measures.text import money
from measures.text.vocabulary import CEILING, EXACT, ONCE, PER_YEAR, REWARD, SUBSIDY, SUPPORT, UNSPECIFIED

# What an amount that is not an award is.
LOAN, INVESTMENT, FUND, THRESHOLD, RATE, OTHER = "loan", "investment", "fund", "threshold", "rate", "other"
OTHER_KINDS = (LOAN, INVESTMENT, FUND, THRESHOLD, RATE, OTHER)

# --- words ----------------------------------------------------------------------------------------

# A phrase ends at these (、 joins the items of a list and does not).
_PART_END = "，,；;。！？!?：:\n"
_SENTENCE_END = "。！？!?\n"
# What an award is, said after its amount (…500万元奖励); the longest first.
_NATURES = (
    ("资金支持", SUPPORT),
    ("经费支持", SUPPORT),
    ("资金补助", SUBSIDY),
    ("经费补助", SUBSIDY),
    ("奖补", REWARD),
    ("奖励", REWARD),
    ("补助", SUBSIDY),
    ("补贴", SUBSIDY),
    ("资助", SUPPORT),
    ("支持", SUPPORT),
    ("扶持", SUPPORT),
)
_NATURE_OF = dict(_NATURES)
# Words of a ceiling, a recurrence or a share said between a giving verb and its amount (支持最高…).
_QUALIFYING = r"(?:最高|不超过|最多|不高于|至多|一次性|每年|每家|每个|单个|单家|年度|累计|可|均|分别|\s)*"
# Giving verbs said before the amount (给予最高500万元, 奖励100万元); 支持 only straight before an amount
# (最高支持2000万), as elsewhere it names what is supported (支持孵化器建设).
_GIVING = re.compile(
    rf"给予|予以|奖励|补助|补贴|资助|扶持|奖补|配套|支持(?={_QUALIFYING}(?:[0-9０-９一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾]|$))"
)
_LOAN = re.compile(r"贷款|授信|借款|担保|信用贷")
_FUND = re.compile(r"基金|规模")
# 超过 and 高于 are thresholds, 不超过 and 不高于 ceilings.
_THRESHOLD = re.compile(
    r"达到|突破|(?<!不)超过|不低于|不少于|(?<!不)高于|大于|多于|累计|首次|营业收入|主营业务收入|营收|收入|产值|销售额|成交额|交易额|纳税|税收|研发投入|研发费用|注册资本"
)
_INVESTMENT = re.compile(r"投资|投入|出资|融资|到位资金")
_CEILING = re.compile(r"最高|不超过|最多|不高于|至多|上限|封顶")
_CEILING_AFTER = ("以内", "以下", "及以下", "为限", "封顶")
_AT_LEAST_AFTER = ("及以上", "以上")
_ONCE = re.compile(r"一次性")
_PER_YEAR = re.compile(
    r"每年|每年度|逐年|按年度|连续[0-9一二两三四五六七八九十]+年|(?<![上本当前])年度(?=最高|不超过|给予|奖励|补助|资助)"
)
_PER_RECIPIENT = re.compile(r"每家|每个|每项|每户|每所|每人|每位|每名|单家|单个|单项|每一家")
# A share named with its noun before a ceiling: 每个项目最高, 单家企业年度最高, 每家机构不超过.
_PER_RECIPIENT_NAMED = re.compile(
    r"(?:每|单)一?(?:家|个|项|户|所|人|位|名)[\u4e00-\u9fff]{0,8}?(?=最高|不超过|最多|不高于|至多|年度|每年|可|给予|$)"
)
# Joining the amounts of one phrase: 分别给予100万元、50万元奖励.
_JOINER = re.compile(r"^\s*(?:、|和|或|及|与|/|或者)\s*$")
_RATE = re.compile(
    r"[0-9０-９]+(?:[.．][0-9０-９]+)?\s*[%％‰]|百分之[零〇一二两三四五六七八九十百点]+|千分之[零〇一二两三四五六七八九十点]+"
)
# A bare number just before a list or range of amounts: 100、50万元 or 10-50万元 (the unit said once).
_UNIT_SAID_ONCE = re.compile(r"[0-9０-９一二两三四五六七八九十百千]+\s*(?:、|-|—|～|~|至|到)\s*$")

# The subject of an award phrase: 对X给予…, 支持X建设，给予…, 考核优良的（分别）给予….
_LEADING_WORDS = re.compile(r"^(?:并|另|同时|其中|此外|对于|其|且)")
_TRAILING_WORDS = re.compile(r"(?:分别|均|可|再|并|另|将|择优|按规定|视情)+$")
_SUPPORTED = re.compile(r"支持(?P<object>.+?)(?P<activity>建设|发展|创建|运营)?$")
_BASIS = re.compile(r"^(?:按照|按|根据|依据|参照)")
_CONDITION_FIRST = re.compile(
    r"^(?P<condition>(?:新|首次|首批|当年|年度)?(?:获批|入选|认定|引进|设立|备案|落户|获得|评为|通过|建设)[^的，,]*?)的(?P<recipient>.+)$"
)
_CONDITION_FIRST_NO_DE = re.compile(
    r"^(?P<condition>(?:新|首次|首批)(?:获批|入选|认定|引进|设立|备案|落户|评为)(?:建设)?)(?P<recipient>.+)$"
)
_CONDITION_REACHED = re.compile(
    r"^(?P<condition>[^的]*(?:突破|达到|超过|以上|不低于|不少于|首次)[^的]*)的(?P<recipient>[^的]+)$"
)
_CONDITION_LAST = re.compile(r"^(?P<recipient>.+?)(?P<condition>(?:在厦|在我市|在本市|来厦|落户|落地)\S*)$")
GENERIC_RECIPIENT_LENGTH = 3  # 基地, 企业, 平台: a word that names an earlier list, not a recipient of its own


# --- what a reading is ------------------------------------------------------------------------------


@dataclass
class ProposedAward:
    """An award read from the text. `start`/`end` are the source phrase's offsets, `amount_start`/
    `amount_end` those of the amount's own characters (both into the text given to the reader)."""

    amount_yuan: int
    limit: str
    recurrence: str
    per_recipient: bool
    nature: str
    recipient: str
    condition: str
    basis: str
    source_phrase: str
    start: int
    end: int
    amount_text: str
    amount_start: int
    amount_end: int
    # Why the award may not be what the text says (a list with its unit said once, an amount read near
    # an approximate one, a ceiling with no giving word of its own): the import proposes it unticked.
    doubt: str = ""

    def as_json(self) -> dict:
        return {
            "amount_yuan": self.amount_yuan,
            "limit": self.limit,
            "recurrence": self.recurrence,
            "per_recipient": self.per_recipient,
            "nature": self.nature,
            "recipient": self.recipient,
            "condition": self.condition,
            "source_phrase": self.source_phrase,
            "start": self.start,
            "end": self.end,
            "doubt": self.doubt or None,
        }


@dataclass
class OtherAmount:
    """An amount that is not an award (a loan, an investment, a fund's size, a threshold, a rate, or
    other), or None for a rate (30%)."""

    amount_yuan: int | None
    kind: str
    source_phrase: str
    start: int
    end: int
    amount_text: str
    amount_start: int
    amount_end: int
    # How the amount is qualified, read as for an award (for the amount check of an award's phrase).
    limit: str = EXACT
    recurrence: str = UNSPECIFIED

    def as_json(self) -> dict:
        return {
            "amount_yuan": self.amount_yuan,
            "kind": self.kind,
            "source_phrase": self.source_phrase,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class Flag:
    """Characters that look like an amount but could not be read with confidence."""

    text: str
    start: int
    end: int
    reason: str


@dataclass
class ClauseReading:
    text: str
    start: int
    end: int
    awards: list[ProposedAward] = field(default_factory=list)
    other_amounts: list[OtherAmount] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    # Awards whose recipient could not be read (the editor fills it in).
    unnamed_recipients: int = 0

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "awards": [award.as_json() for award in self.awards],
            "other_amounts": [other.as_json() for other in self.other_amounts],
        }


# --- reading a paragraph ----------------------------------------------------------------------------


@dataclass
class _Part:
    """A phrase: the text between two of _PART_END, without surrounding spaces."""

    start: int
    end: int
    sentence: int


# A phrase is far shorter; text running longer without a stop (a table or a PDF pasted without its
# punctuation) is read in pieces of at most this many characters, so that the words read around each
# amount stay few however many amounts there are.
MAX_PHRASE_LENGTH = 300


def _parts(text: str, offset: int) -> list[_Part]:
    parts, sentence, start = [], 0, 0
    for index in range(len(text) + 1):
        if index == len(text) or text[index] in _PART_END:
            left, right = start, index
            while left < right and text[left].isspace():
                left += 1
            while right > left and text[right - 1].isspace():
                right -= 1
            for piece_start, piece_end in _pieces(text, left, right):
                parts.append(_Part(offset + piece_start, offset + piece_end, sentence))
            if index < len(text) and text[index] in _SENTENCE_END:
                sentence += 1
            start = index + 1
    return parts


def _pieces(text: str, left: int, right: int):
    """text[left:right] in pieces of at most MAX_PHRASE_LENGTH characters, each cut where no amount is
    written (back from the limit, over at most half a piece); the whole when it is short enough."""
    while right - left > MAX_PHRASE_LENGTH:
        cut = left + MAX_PHRASE_LENGTH
        while cut > left + MAX_PHRASE_LENGTH // 2 and (
            text[cut - 1] in money.AMOUNT_CHARACTERS or text[cut] in money.AMOUNT_CHARACTERS
        ):
            cut -= 1
        yield left, cut
        left = cut
    if right > left:
        yield left, right


def _strip_after(suffix: str) -> tuple[str, bool, bool]:
    """The words after an amount, without 的/以内/以上…; and whether they said a ceiling or a floor."""
    ceiling = at_least = False
    changed = True
    while changed:
        changed = False
        suffix = suffix.lstrip()
        for word in _AT_LEAST_AFTER:
            if suffix.startswith(word):
                suffix, at_least, changed = suffix[len(word) :], True, True
        for word in _CEILING_AFTER:
            if suffix.startswith(word):
                suffix, ceiling, changed = suffix[len(word) :], True, True
        for word in ("的", "左右"):
            if suffix.startswith(word):
                suffix, changed = suffix[len(word) :], True
    return suffix, ceiling, at_least


def _nature_at(words: str) -> str | None:
    for word, nature in _NATURES:
        if words.startswith(word):
            return nature
    return None


def _last_nature(words: str) -> str | None:
    """The nature named last among giving words (奖励 in 给予奖励最高…), else support for a bare 给予."""
    found = [(match.start(), word) for word, _nature in _NATURES for match in re.finditer(word, words)]
    if found:
        return _NATURE_OF[max(found)[1]]
    return SUPPORT if _GIVING.search(words) else None


def read_clause(text: str, offset: int = 0) -> ClauseReading:
    """Every amount of one paragraph: its awards, its other amounts and what could not be read.
    Offsets are `offset` plus the position in `text` (pass the paragraph's place in a document)."""
    reading = ClauseReading(text=text, start=offset, end=offset + len(text))
    paragraph = _Paragraph(text, offset)
    parts, part_of = paragraph.parts, paragraph.part_of

    def words(start: int, end: int) -> str:
        return text[start - offset : end - offset]

    amounts = _with_units_said_once(paragraph, money.find_amounts(text))
    for amount in amounts:
        if amount.yuan is None:
            reason = "金额写法读不准（约数或写法不规范），未读取"
            reading.flags.append(Flag(amount.text, offset + amount.start, offset + amount.end, reason))
    for match in _RATE.finditer(text):
        index = part_of(offset + match.start())
        part = parts[index]
        reading.other_amounts.append(
            OtherAmount(
                None,
                RATE,
                words(part.start, part.end),
                part.start,
                part.end,
                match.group(),
                offset + match.start(),
                offset + match.end(),
            )
        )
    # Amounts read, grouped: the amounts of one phrase joined by 、/和/或 share its words.
    readable = [amount for amount in amounts if amount.yuan is not None]
    groups: list[list[money.AmountInText]] = []
    for amount in readable:
        if groups and part_of(offset + groups[-1][-1].start) == part_of(offset + amount.start):
            between = text[groups[-1][-1].end : amount.start]
            if _JOINER.match(between):
                groups[-1].append(amount)
                continue
        groups.append([amount])
    for group in groups:
        _read_group(reading, paragraph, group)
    reading.other_amounts.sort(key=lambda other: other.amount_start)
    _doubt_awards_near_flags(reading, paragraph)
    return reading


def _doubt_awards_near_flags(reading: ClauseReading, paragraph: "_Paragraph") -> None:
    """An award whose phrase holds text that could not be read (100、50万元 without 分别, 10-50万元, 数百万元)
    may not be what the text means: it carries the flag's reason as its doubt."""
    flagged: dict[int, Flag] = {}
    for flag in reading.flags:
        flagged.setdefault(paragraph.part_of(flag.start), flag)
    if not flagged:
        return
    for award in reading.awards:
        if award.doubt:
            continue
        first, last = paragraph.part_of(award.start), paragraph.part_of(award.end - 1)
        for index in range(first, last + 1):
            if index in flagged:
                flag = flagged[index]
                award.doubt = f"同一句中“{flag.text}”{flag.reason}，请核对"
                break


def _read_group(reading: ClauseReading, paragraph: "_Paragraph", group) -> None:
    text, offset, parts = paragraph.text, paragraph.offset, paragraph.parts
    first, last = group[0], group[-1]
    index = paragraph.part_of(offset + first.start)
    part = parts[index]
    part_text = paragraph.words(index)
    first_at, last_at = offset + first.start - part.start, offset + last.end - part.start
    # The words of the phrase before the amount, after any amount before it in the same phrase.
    local_start = paragraph.amount_end_before(index, first_at)
    local_prefix = part_text[local_start:first_at]
    suffix_head, ceiling_after, at_least = _strip_after(part_text[last_at:])
    # Searched within the phrase only (where the flag must start): the text before it is never read again.
    bare_before = _UNIT_SAID_ONCE.search(text, part.start - offset, first.start)
    if bare_before:
        reading.flags.append(
            Flag(
                text[bare_before.start() : last.end],
                offset + bare_before.start(),
                offset + last.end,
                "单位只写了一次（如“100、50万元”或“10-50万元”），前面的数字未读取",
            )
        )

    nature = _nature_at(suffix_head)
    doubt = ""
    phrase_start, qualifier_words = part.start, local_prefix
    subject_index, subject_words = index, part_text[:first_at]
    kind = None
    if _LOAN.match(suffix_head):
        kind = LOAN
    elif nature:
        kind = "award"  # 按贷款利息的50%给予最高200万元补助: the nature said after the amount decides
    elif _LOAN.search(_after_giving(local_prefix)):
        kind = LOAN
    elif at_least:
        kind = THRESHOLD
    elif _FUND.search(local_prefix) or re.match(r"[^，,；;。]{0,12}基金", suffix_head):
        kind = FUND
    elif _THRESHOLD.search(_after_giving(local_prefix)):
        kind = THRESHOLD
    elif _INVESTMENT.search(_after_giving(local_prefix)):
        kind = INVESTMENT
    elif _GIVING.search(local_prefix):
        kind, nature = "award", _last_nature(local_prefix)
    elif (qualifiers_only := _only_qualifiers(local_prefix)) or _CEILING.search(local_prefix) or ceiling_after:
        giver = paragraph.giving_before(index)
        if giver >= 0 and giver == index - 1 and qualifiers_only and not paragraph.has_amounts(giver):
            # 按投入的30%给予补助，每个项目最高500万元: the ceiling of the award named in the phrase before.
            before_text = paragraph.words(giver)
            kind, nature = "award", _last_nature(before_text)
            phrase_start, qualifier_words = parts[giver].start, before_text + "，" + local_prefix
            subject_index, subject_words = giver, before_text
        elif giver >= 0:
            # 生物医药类平台单个最高资助300万元；其他平台单个最高500万元: a ceiling with no giving word of its
            # own, in a sentence that gives. Most likely an award like the one before it, but not surely.
            kind, nature = "award", _last_nature(paragraph.words(giver))
            doubt = "金额前没有“给予”“奖励”等字样，按同一句前文读作奖补，请核对"
    phrase = paragraph.span(phrase_start, part.end)

    limit = CEILING if (_CEILING.search(qualifier_words) or ceiling_after) else EXACT
    if _ONCE.search(qualifier_words):
        recurrence = ONCE
    elif _PER_YEAR.search(qualifier_words):
        recurrence = PER_YEAR
    else:
        recurrence = UNSPECIFIED
    if kind != "award":
        for amount in group:
            reading.other_amounts.append(
                OtherAmount(
                    amount.yuan,
                    kind or OTHER,
                    phrase,
                    phrase_start,
                    part.end,
                    amount.text,
                    offset + amount.start,
                    offset + amount.end,
                    limit,
                    recurrence,
                )
            )
        return
    per_recipient = bool(_PER_RECIPIENT.search(qualifier_words))
    subjects = _subjects(paragraph, subject_index, subject_words, len(group))
    for position, amount in enumerate(group):
        recipient, condition, basis = subjects[position]
        if not recipient:
            reading.unnamed_recipients += 1
        reading.awards.append(
            ProposedAward(
                amount_yuan=amount.yuan,
                limit=limit,
                recurrence=recurrence,
                per_recipient=per_recipient,
                nature=nature,
                recipient=recipient,
                condition=condition,
                basis=basis,
                source_phrase=phrase,
                start=phrase_start,
                end=part.end,
                amount_text=amount.text,
                amount_start=offset + amount.start,
                amount_end=offset + amount.end,
                doubt=doubt,
            )
        )


class _Paragraph:
    """A paragraph's phrases, and what reading its amounts asks of them, each worked out once: which phrase
    a position is in, where the amounts of a phrase end, the lists of names said before a phrase. Asked
    anew for every amount, walking the phrases before it, a long paragraph full of amounts (a page pasted
    from a PDF as one line) took time in the square of its length; now each question is a lookup."""

    def __init__(self, text: str, offset: int):
        self.text, self.offset = text, offset
        self.parts = _parts(text, offset)
        self._starts = [part.start for part in self.parts]
        self._amount_ends: dict[int, list[int]] = {}
        self._spans: dict[tuple[int, int], str] = {}
        self._lists: _NamedLists | None = None
        self._givers: list[int] | None = None

    def part_of(self, position: int) -> int:
        index = bisect.bisect_right(self._starts, position) - 1
        return index if index >= 0 and position < self.parts[index].end else -1

    def words(self, index: int) -> str:
        return self.span(self.parts[index].start, self.parts[index].end)

    def span(self, start: int, end: int) -> str:
        """The text from `start` to `end` (offsets in the document): one string however often asked for,
        so that the many awards of one phrase share their source phrase."""
        if (start, end) not in self._spans:
            self._spans[(start, end)] = self.text[start - self.offset : end - self.offset]
        return self._spans[(start, end)]

    def giving_before(self, index: int) -> int:
        """The nearest phrase before phrase `index`, in the same sentence, with a giving word (给予, 奖励…);
        -1 when none has. Worked out for every phrase at the first question, in one pass."""
        if self._givers is None:
            self._givers = []
            for position, part in enumerate(self.parts):
                if _GIVING.search(self.words(position)):
                    self._givers.append(position)
                elif position and self.parts[position - 1].sentence == part.sentence:
                    self._givers.append(self._givers[-1])
                else:
                    self._givers.append(-1)
        if index <= 0 or self.parts[index - 1].sentence != self.parts[index].sentence:
            return -1
        return self._givers[index - 1]

    def has_amounts(self, index: int) -> bool:
        return bool(self._ends(index))

    def _ends(self, index: int) -> list[int]:
        if index not in self._amount_ends:
            self._amount_ends[index] = [amount.end for amount in money.find_amounts(self.words(index))]
        return self._amount_ends[index]

    def amount_end_before(self, index: int, before: int) -> int:
        """Where the last amount of phrase `index` ending at or before `before` ends (both relative to the
        phrase, as the phrase alone reads its amounts); 0 when none does."""
        ends = self._ends(index)
        found = bisect.bisect_right(ends, before)
        return ends[found - 1] if found else 0

    @property
    def lists(self) -> "_NamedLists":
        if self._lists is None:
            self._lists = _NamedLists(self)
        return self._lists


def _after_giving(prefix: str) -> str:
    """The words after the last giving verb (给予), where a threshold or an investment would make the
    amount not the award's: 给予年销售额超过1亿元的企业 is a threshold; 给予最高 is an award."""
    matches = list(_GIVING.finditer(prefix))
    return prefix[matches[-1].end() :] if matches else prefix


def _only_qualifiers(prefix: str) -> bool:
    """Whether the words before an amount only say how it is given (每个项目最高, 单家企业年度最高, 可)."""
    rest = _PER_RECIPIENT.sub("", _PER_RECIPIENT_NAMED.sub("", prefix))
    rest = _CEILING.sub("", _ONCE.sub("", _PER_YEAR.sub("", rest)))
    return not rest.strip() or rest.strip() in ("可", "均", "分别", "给予")


_BARE_NUMBER = r"(?:[0-9０-９]+(?:[.．][0-9０-９]+)?|[零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟]+)"
# Bare numbers listed before an amount that says the unit once: the 100、 of 分别给予100、50万元.
_BARE_LIST = re.compile(rf"(?:{_BARE_NUMBER}\s*、\s*)+$")
_BARE_IN_LIST = re.compile(_BARE_NUMBER)
# An amount whose unit the numbers before it share: a plain number and one unit (50万元, 0.5亿元, 80元).
_SHARED_UNIT = re.compile(rf"^(?P<number>{_BARE_NUMBER})\s*(?P<unit>[万萬亿億]?)\s*元?$")
_UNIT_VALUES = {
    "": 1,
    "万": money.YUAN_PER_WAN,
    "萬": money.YUAN_PER_WAN,
    "亿": money.YUAN_PER_YI,
    "億": money.YUAN_PER_YI,
}


def _with_units_said_once(paragraph: "_Paragraph", amounts: list) -> list:
    """`amounts`, with the bare numbers of a 分别 list that says its unit once read in that unit:
    分别给予100、50万元 is 100万元 and 50万元, paired in order with the names before it. Without 分别 (or
    for a range, 10-50万元) the list is flagged where it is grouped, not read."""
    text, offset = paragraph.text, paragraph.offset
    found = []
    for amount in amounts:
        shared = _SHARED_UNIT.match(amount.text) if amount.yuan is not None else None
        index = paragraph.part_of(offset + amount.start) if shared else -1
        listed = _BARE_LIST.search(text, paragraph.parts[index].start - offset, amount.start) if index >= 0 else None
        if listed and "分别" in text[paragraph.parts[index].start - offset : listed.start()]:
            unit = _UNIT_VALUES[shared.group("unit")]
            bare = []
            for number in _BARE_IN_LIST.finditer(text, listed.start(), listed.end()):
                value = money.read_number(number.group())
                yuan = None if value is None else value * unit
                if yuan is None or yuan != yuan.to_integral_value():
                    bare = []
                    break
                bare.append(money.AmountInText(number.start(), number.end(), number.group(), int(yuan), False))
            found.extend(bare)
        found.append(amount)
    return found


# --- who receives it ------------------------------------------------------------------------------------


def _subjects(paragraph: _Paragraph, index, before_amount: str, count) -> list[tuple[str, str, str]]:
    """(recipient, condition, basis) for each of `count` amounts given in the phrase parts[index],
    whose words before the amount are `before_amount`."""
    text, offset, parts = paragraph.text, paragraph.offset, paragraph.parts
    giving = _GIVING.search(before_amount)
    head = before_amount[: giving.start()] if giving else before_amount
    respectively = "分别" in before_amount
    head = _TRAILING_WORDS.sub("", _LEADING_WORDS.sub("", head.strip()))
    recipient, condition, basis = _subject(head)
    if not recipient:
        # The subject is in the phrase before, within the sentence: 对X，给予… or 支持X建设，给予….
        for back in (index - 1, index - 2):
            if back < 0 or parts[back].sentence != parts[index].sentence:
                break
            before = text[parts[back].start - offset : parts[back].end - offset]
            if _GIVING.search(before):
                break  # that phrase gives something of its own: its subject is its own
            found, found_condition, _ = _subject(_LEADING_WORDS.sub("", before))
            if found:
                recipient, condition = found, condition or found_condition
                break
    if count > 1 and respectively:
        own = _items(recipient) if recipient else []
        items = own if len(own) == count else paragraph.lists.nearest_of_length(count, index)
        if items:
            return [(item, condition, basis) for item in items]
    if recipient and len(recipient) <= GENERIC_RECIPIENT_LENGTH:
        # 对新入选基地: the bases named earlier (国家级国际科技合作基地、对台科技合作与交流基地).
        items = paragraph.lists.nearest_all_ending_with(recipient, index)
        if items:
            recipient = "、".join(items)
    return [(recipient, condition, basis)] * count


def _subject(head: str) -> tuple[str, str, str]:
    """(recipient, condition, basis) named by the words before a giving verb."""
    head = head.strip()
    if not head:
        return "", "", ""
    if _BASIS.match(head):
        return "", "", head
    if head.startswith("对"):
        return _split_condition(head[1:])
    supported = _SUPPORTED.search(head)
    if supported:
        return supported.group("object"), supported.group("activity") or "", ""
    if head.endswith("的"):
        return "", head[:-1], ""
    reached = _CONDITION_REACHED.match(head)
    if reached:  # 设备投资额达到5000万元以上的项目
        return reached.group("recipient"), reached.group("condition"), ""
    return "", "", ""


def _split_condition(words: str) -> tuple[str, str, str]:
    words = words.strip()
    for pattern in (_CONDITION_FIRST, _CONDITION_FIRST_NO_DE, _CONDITION_REACHED, _CONDITION_LAST):
        match = pattern.match(words)
        if match and match.group("recipient") and match.group("condition"):
            return match.group("recipient"), match.group("condition"), ""
    if words.endswith("的"):
        return "", words[:-1], ""
    return words, "", ""


def _items(words: str) -> list[str]:
    return [item.strip() for item in words.split("、") if item.strip()]


class _NamedLists:
    """The lists of names (A、B) said in a paragraph's phrases: what 分别 pairs amounts with, and what a
    word like 基地 refers back to. Each is found once and filed under its length and under every ending
    its names share (up to GENERIC_RECIPIENT_LENGTH characters), so that the nearest one before a phrase
    is a binary search, not a walk back through every phrase."""

    def __init__(self, paragraph: _Paragraph):
        self._by_length: dict[int, list[tuple[int, list[str]]]] = {}
        self._by_ending: dict[str, list[tuple[int, list[str]]]] = {}
        for index in range(len(paragraph.parts)):
            before = _LEADING_WORDS.sub("", paragraph.words(index))
            found, _condition, _basis = _subject(before)
            if not found:
                supported = _SUPPORTED.search(before)
                found = supported.group("object") if supported else ""
            items = [item.rstrip("等") for item in _items(found)]
            if len(items) < 2:
                continue
            self._by_length.setdefault(len(items), []).append((index, items))
            shared = os.path.commonprefix([item[::-1] for item in items])[:GENERIC_RECIPIENT_LENGTH]
            for length in range(1, len(shared) + 1):
                self._by_ending.setdefault(shared[:length][::-1], []).append((index, items))

    def nearest_of_length(self, count: int, index: int) -> list[str] | None:
        """The nearest list of `count` names said before phrase `index`."""
        return self._nearest(self._by_length.get(count, []), index)

    def nearest_all_ending_with(self, word: str, index: int) -> list[str] | None:
        """The nearest list before phrase `index` whose every name ends with `word` (…基地、…基地 for 基地)."""
        return self._nearest(self._by_ending.get(word, []), index)

    @staticmethod
    def _nearest(filed: list[tuple[int, list[str]]], index: int) -> list[str] | None:
        found = bisect.bisect_left(filed, index, key=lambda entry: entry[0])
        return filed[found - 1][1] if found else None


# --- an award against its own words -----------------------------------------------------------------


def phrase_amounts(phrase: str) -> list[tuple[int, str, str]]:
    """(yuan, limit, recurrence) of every amount an award's source phrase says, as the reader reads it
    (whether or not it takes the phrase for an award: 最高200万元 alone is still 200万元, a ceiling)."""
    reading = read_clause(phrase)
    found = [(a.amount_yuan, a.limit, a.recurrence) for a in reading.awards]
    found += [(o.amount_yuan, o.limit, o.recurrence) for o in reading.other_amounts if o.amount_yuan is not None]
    return found


def phrase_disagreement(phrase: str, amount_yuan: int, limit: str, recurrence: str) -> str | None:
    """Why an award's amount, limit or recurrence cannot be read from its own source phrase (an editor
    changed 200万元 to 250万元 but the quote still says 200万元), or None when it can."""
    said = phrase_amounts(phrase or "")
    if not said:
        return "原文表述中读不出金额"
    if (amount_yuan, limit, recurrence) in said:
        return None
    readings = "、".join(
        money.format_award(yuan, ceiling=lim == CEILING, recurrence=rec, per_recipient=False, language="zh-hans")
        or money.format_amount(yuan)
        for yuan, lim, rec in said
    )
    if all(yuan != amount_yuan for yuan, _lim, _rec in said):
        return f"金额不符：原文表述读作{readings}"
    return f"金额性质或发放频次不符：原文表述读作{readings}"


def clause_disagreement(clause_text: str, phrase: str, amount_yuan: int, limit: str, recurrence: str) -> str | None:
    """Why an award no longer matches its clause's current text (an editor changed 不超过100万元 to
    不超过120万元 in the clause, the award still says 100万元), or None: its source phrase is still in the
    clause, or the clause still says its amount, limit and recurrence somewhere."""
    if not clause_text or (phrase and phrase in clause_text):
        return None
    said = phrase_amounts(clause_text)
    if (amount_yuan, limit, recurrence) in said:
        return None
    if not said:
        return "条款现在的文字中读不出金额（原文表述已不在条款中）"
    readings = "、".join(dict.fromkeys(money.format_amount(yuan) for yuan, _lim, _rec in said))
    return f"条款现在的文字读作{readings}，原文表述已不在条款中"
