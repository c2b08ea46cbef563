"""Reading a Chinese policy document's structure: its plain text in, a proposal out. Pure functions, no
database.

`read_policy(text)` finds the title, 文号, preamble, pillars (一、二、…), measures in any of the usual
numberings ((一), 1., 第一条, 01), paragraphs as clauses, and the （责任单位：…） line as the measure's
responsible departments; each clause's amounts are read by measures/text/clause_reader.py's
`read_clause`, whose offsets stay offsets into the whole text.
"""

import bisect
import re
from dataclasses import dataclass, field

from measures.text import money
from measures.text.clause_reader import OTHER, ClauseReading, ProposedAward, read_clause

# --- what a reading is ------------------------------------------------------------------------------


@dataclass
class PillarReading:
    number: int  # its own printed numeral's (三、 is 3), or its place when those do not rise
    title: str
    start: int
    end: int
    printed_number: str = ""

    def as_json(self) -> dict:
        return {"number": self.number, "title": self.title}


@dataclass
class MeasureReading:
    number: int
    title: str
    pillar: int | None
    printed_number: str
    start: int  # where its numbered line starts
    responsible_units: list[str] = field(default_factory=list)
    clauses: list[ClauseReading] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "pillar": self.pillar,
            "responsible_units": list(self.responsible_units),
            "clauses": [clause.as_json() for clause in self.clauses],
        }


@dataclass
class PolicyReading:
    text: str
    title: str | None = None
    document_number: str | None = None
    preamble: str = ""
    pillars: list[PillarReading] = field(default_factory=list)
    measures: list[MeasureReading] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)  # 本措施自印发之日起实施… : not a clause
    # Amounts outside every clause (in a title, the preamble, the ending): warned about, never read.
    unread_amounts: list[money.AmountInText] = field(default_factory=list)

    def as_json(self) -> dict:
        """The proposal as `import_policy_text --json` prints it (offsets into the text read)."""
        return {
            "title": self.title,
            "document_number": self.document_number,
            "preamble": self.preamble,
            "pillars": [pillar.as_json() for pillar in self.pillars],
            "measures": [measure.as_json() for measure in self.measures],
            "warnings": list(self.warnings),
        }

    @property
    def awards(self) -> list[ProposedAward]:
        return [award for measure in self.measures for clause in measure.clauses for award in clause.awards]


# --- reading a document -------------------------------------------------------------------------------

_CHINESE_NUMBER = "零〇一二两三四五六七八九十百"
_PILLAR_STYLES = (
    ("一、", re.compile(rf"^(?P<n>[{_CHINESE_NUMBER}]{{1,3}})、\s*")),
    ("第一部分", re.compile(rf"^第(?P<n>[{_CHINESE_NUMBER}]{{1,3}})(?:部分|章|篇)\s*")),
)
_MEASURE_STYLES = (
    ("（一）", re.compile(rf"^[（(](?P<n>[{_CHINESE_NUMBER}]{{1,3}})[)）]\s*")),
    ("第一条", re.compile(rf"^第(?P<n>[{_CHINESE_NUMBER}]{{1,4}})条\s*")),
    ("1.", re.compile(r"^(?P<n>[0-9０-９]{1,2})\s*[.．、](?![0-9０-９])\s*")),
    ("01", re.compile(r"^(?P<n>0[1-9]|[1-9][0-9])(?:\s+|(?=[\u4e00-\u9fff“《]))(?![年月日号])")),
)
_RESPONSIBLE = re.compile(r"[（(]\s*(?P<units>(?:(?:牵头|责任|配合)单位)\s*[：:].*?)[)）]\s*$")
_UNIT_LABEL = re.compile(r"(?:牵头|责任|配合)单位\s*[：:]")
_DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,4}\s*号")
_DATE_LINE = re.compile(
    r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|^[二〇零一三四五六七八九十]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日$"
)
_CLOSING = re.compile(r"^(?:本(?:措施|政策|办法|意见|规定|细则|方案|若干措施|通知)|以上|附件)")
_TITLE_IN_QUOTES = re.compile(r"《(?P<title>[^》]+)》")
# A title separated from its text by spaces, not a 。 (copies from web pages): the space, and what may not
# be in such a title but is in the sentence after it.
_TITLE_SPACE = re.compile(r"[ \u3000\u00a0\t]+")
_TITLE_STOPS = re.compile(r"[，,。；;：:！!？?]")
MAX_SPACED_TITLE = 40


def chinese_number(numeral: str) -> int | None:
    """一 1, 十二 12, 二十 20, 百 100: the small numbers that number pillars and measures."""
    value = money.read_number(numeral.replace("〇", "零"))
    return int(value) if value is not None and value == value.to_integral_value() else None


def _number(printed: str) -> int | None:
    printed = printed.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return int(printed) if printed.isdigit() else chinese_number(printed)


@dataclass
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    lines = []
    for match in re.finditer(r"[^\r\n]+", text):
        start, end = match.span()
        while start < end and (text[start].isspace() or text[start] == "\ufeff"):
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            lines.append(_Line(start, end, text[start:end]))
    return lines


def _style_of(line: str, styles) -> tuple[str, re.Match] | None:
    for name, pattern in styles:
        match = pattern.match(line)
        if match and _number(match.group("n")) is not None:
            return name, match
    return None


def read_policy(text: str) -> PolicyReading:
    """The proposal for a whole document (see the module's docstring)."""
    reading = PolicyReading(text=text)
    lines = _lines(text)
    pillar_lines = {i for i, line in enumerate(lines) if _style_of(line.text, _PILLAR_STYLES)}
    measure_style = None
    for i, line in enumerate(lines):
        found = _style_of(line.text, _MEASURE_STYLES)
        if found and i not in pillar_lines:
            if found[0] == "01" and found[1].group("n") != "01":
                continue  # 01 02 numbering starts at 01; a line opening with 20 is not one
            measure_style = found[0]
            break
    if measure_style is None and pillar_lines:
        # Only 一、二、: the measures stand directly under the title, with no pillar level.
        measure_patterns = [
            pattern for name, pattern in _PILLAR_STYLES if _style_of(lines[min(pillar_lines)].text, [(name, pattern)])
        ]
        pillar_patterns = []
    else:
        measure_patterns = [pattern for name, pattern in _MEASURE_STYLES if name == measure_style]
        pillar_patterns = [pattern for _name, pattern in _PILLAR_STYLES]

    def match_any(line, patterns):
        for pattern in patterns:
            match = pattern.match(line)
            if match and _number(match.group("n")) is not None:
                return match
        return None

    first_numbered = next(
        (
            i
            for i, line in enumerate(lines)
            if match_any(line.text, pillar_patterns) or match_any(line.text, measure_patterns)
        ),
        len(lines),
    )
    _read_head(reading, lines[:first_numbered])

    printed_numbers = []
    pillar = None
    stray = []
    for line in lines[first_numbered:]:
        pillar_match = match_any(line.text, pillar_patterns)
        measure_match = None if pillar_match else match_any(line.text, measure_patterns)
        if pillar_match:
            title = line.text[pillar_match.end() :].strip().rstrip("。.．")
            printed = pillar_match.group("n")
            pillar = PillarReading(_number(printed), title, line.start, line.end, printed)
            reading.pillars.append(pillar)
            continue
        if measure_match:
            printed = measure_match.group("n")
            printed_numbers.append(_number(printed))
            body_start = line.start + measure_match.end()
            measure = MeasureReading(
                number=len(reading.measures) + 1,
                title="",
                pillar=pillar.number if pillar else None,
                printed_number=printed,
                start=line.start,
            )
            reading.measures.append(measure)
            body = text[body_start : line.end]
            stop, skip = _title_end(body)
            if stop < 0:
                measure.title = body.strip().rstrip(".．")
                continue
            measure.title = body[:stop].strip()
            rest_start = body_start + stop + skip
            while rest_start < line.end and text[rest_start].isspace():
                rest_start += 1
            if rest_start < line.end:
                _add_paragraph(reading, measure, text, rest_start, line.end)
            continue
        if reading.measures and (pillar is None or reading.measures[-1].pillar == pillar.number):
            _add_paragraph(reading, reading.measures[-1], text, line.start, line.end)
        else:
            stray.append(line.text)
    _number_pillars(reading)
    _number_measures(reading, printed_numbers)
    _closing(reading)
    for line in stray:
        reading.warnings.append(f"未归入任何措施的段落（请核对）：{_excerpt(line)}")
    for measure in reading.measures:
        if len(measure.title) > 200:
            reading.warnings.append(
                f"第{measure.number}条的标题超过200字，可能没有独立的标题，请核对：{_excerpt(measure.title)}"
            )
        if not measure.clauses:
            reading.warnings.append(f"第{measure.number}条“{_excerpt(measure.title)}”只有标题，没有读到条款正文。")
        for position, clause in enumerate(measure.clauses, 1):
            where = f"第{measure.number}条第{position}段"
            for flag in clause.flags:
                reading.warnings.append(f"{where}：“{flag.text}”（第{flag.start}–{flag.end}字）{flag.reason}，请核对。")
            for other in clause.other_amounts:
                if other.kind == OTHER:
                    reading.warnings.append(
                        f"{where}：“{other.amount_text}”（第{other.amount_start}–{other.amount_end}字）"
                        f"读不出是奖补还是贷款、投资、门槛等其他金额，未作为奖补读取，请核对：{_excerpt(other.source_phrase)}"
                    )
            for award in clause.awards:
                if award.doubt and not clause.flags:
                    reading.warnings.append(
                        f"{where}：“{award.amount_text}”（第{award.amount_start}–{award.amount_end}字）{award.doubt}。"
                    )
            if clause.unnamed_recipients:
                reading.warnings.append(f"{where}：有{clause.unnamed_recipients}项奖补未读出支持对象，请填写。")
    if not reading.measures:
        reading.warnings.append("没有读到任何措施：措施应以（一）、1.、第一条、01 或 一、 等编号开头，各占一段。")
    _warn_of_amounts_outside_clauses(reading)
    return reading


def _title_end(body: str) -> tuple[int, int]:
    """Where a measure's title ends on its numbered line, and how many characters separate it from the
    text: at its first 。, or at a space when the words before it are a title (short, no comma or stop)
    and a sentence follows, as in a copy from a web page (支持企业研发投入 对企业研发费用…); (-1, 0) when the
    whole line is the title."""
    stop = body.find("。")
    space = _TITLE_SPACE.search(body)
    if space and (stop < 0 or space.start() < stop) and space.start() <= MAX_SPACED_TITLE:
        rest = body[space.end() :]
        if not _TITLE_STOPS.search(body[: space.start()]) and _TITLE_STOPS.search(rest):
            return space.start(), space.end() - space.start()
    return stop, 1


def _number_pillars(reading: PolicyReading) -> None:
    """Pillars keep their printed numbers (三、 is the third, also in a text of that pillar alone) when those
    rise; otherwise they are numbered in order, their measures with them, and the editor is told."""
    printed = [pillar.number for pillar in reading.pillars]
    if all(a < b for a, b in zip(printed, printed[1:], strict=False)):
        return
    for place, pillar in enumerate(reading.pillars, 1):
        pillar.number = place
    starts = [pillar.start for pillar in reading.pillars]
    for measure in reading.measures:
        if measure.pillar is not None:
            measure.pillar = bisect.bisect_right(starts, measure.start)
    shown = "、".join(pillar.printed_number for pillar in reading.pillars)
    reading.warnings.append(f"方面的编号（{shown}）没有依次增大，已按出现顺序编为第1–{len(printed)}个方面，请核对。")


def _read_head(reading: PolicyReading, head: list[_Line]) -> None:
    """Title, 文号 and preamble: what comes before the first pillar or measure."""
    preamble = []
    for position, line in enumerate(head):
        number = _DOCUMENT_NUMBER.search(line.text)
        if number and reading.document_number is None and len(line.text) <= len(number.group()) + 20:
            reading.document_number = re.sub(r"\s+", "", number.group())
            continue
        if _DATE_LINE.match(line.text):
            continue
        ends_sentence = line.text.endswith(("。", "：", ":", "；"))
        if reading.title is None and not preamble and not ends_sentence and len(line.text) <= 120 and position < 3:
            quoted = _TITLE_IN_QUOTES.search(line.text)
            reading.title = quoted.group("title") if quoted and "通知" in line.text else line.text.strip("《》")
            continue
        if not ends_sentence and len(line.text) < 30 and not preamble:
            continue  # the issuing bodies under the title (中共厦门市委 厦门市人民政府)
        preamble.append(line.text)
    reading.preamble = "\n".join(preamble)


def _add_paragraph(reading: PolicyReading, measure: MeasureReading, text: str, start: int, end: int) -> None:
    """A paragraph of a measure: a clause, less its （责任单位：…） ending, which names the departments."""
    paragraph = text[start:end]
    responsible = _RESPONSIBLE.search(paragraph)
    if responsible:
        units = _UNIT_LABEL.split(responsible.group("units"))
        for chunk in units:
            for unit in re.split(r"[、，,；;]", chunk):
                unit = unit.strip(" \u3000。")
                if unit and unit not in measure.responsible_units:
                    measure.responsible_units.append(unit)
        end = start + responsible.start()
        while end > start and text[end - 1].isspace():
            end -= 1
    if end > start:
        measure.clauses.append(read_clause(text[start:end], start))


def _number_measures(reading: PolicyReading, printed: list[int | None]) -> None:
    """Measures keep their printed numbers when those rise through the document (1, 2, 3 …, or only
    the new 7 to 12); numbered afresh in each pillar ((一) again under 二、), they are numbered in order
    of appearance, and the editor is told."""
    if all(n is not None for n in printed) and all(a < b for a, b in zip(printed, printed[1:], strict=False)):
        for measure, number in zip(reading.measures, printed, strict=True):
            measure.number = number
        return
    if printed:
        shown = "、".join(str(n) for n in printed)
        reading.warnings.append(f"措施的编号（{shown}）没有依次增大，已按出现顺序编为第1–{len(printed)}条，请核对。")


def _closing(reading: PolicyReading) -> None:
    """Paragraphs after the last measure that are the document's ending (本措施自印发之日起实施,
    the issuing bodies, the date) are not clauses of that measure."""
    if not reading.measures:
        return
    last = reading.measures[-1]
    while last.clauses:
        clause = last.clauses[-1]
        short_line = len(clause.text) < 30 and "。" not in clause.text
        if not (_CLOSING.match(clause.text) or short_line or _DATE_LINE.match(clause.text)):
            break
        reading.closing.insert(0, last.clauses.pop().text)
    for paragraph in reading.closing:
        reading.warnings.append(f"结尾段落未作为条款读入：{_excerpt(paragraph)}")


def _warn_of_amounts_outside_clauses(reading: PolicyReading) -> None:
    """Every amount of the text that no clause holds (in a measure's or a pillar's title, the preamble, the
    ending, a paragraph under no measure) is listed and warned about: no amount is dropped unsaid."""
    clauses = sorted(
        ((clause.start, clause.end) for measure in reading.measures for clause in measure.clauses),
    )
    starts = [start for start, _end in clauses]
    pillars = [(pillar.start, pillar.end, pillar.number) for pillar in reading.pillars]
    pillar_starts = [start for start, _end, _number in pillars]
    measure_starts = [measure.start for measure in reading.measures]
    for amount in money.find_amounts(reading.text):
        inside = bisect.bisect_right(starts, amount.start) - 1
        if inside >= 0 and amount.end <= clauses[inside][1]:
            continue
        reading.unread_amounts.append(amount)
        where = "正文之外"
        pillar_at = bisect.bisect_right(pillar_starts, amount.start) - 1
        in_pillar = pillars[pillar_at][2] if pillar_at >= 0 and amount.start < pillars[pillar_at][1] else None
        at = bisect.bisect_right(measure_starts, amount.start) - 1
        if in_pillar is not None:
            where = f"第{in_pillar}个方面的标题中"
        elif at >= 0 and amount.start - measure_starts[at] <= len(reading.measures[at].title) + 12:
            where = f"第{reading.measures[at].number}条的标题中"
        elif not reading.measures or amount.start < measure_starts[0]:
            where = "标题或序言中"
        reading.warnings.append(
            f"“{amount.text}”（第{amount.start}–{amount.end}字）在{where}，不属于任何条款，未作为奖补读取，请核对。"
        )


def _excerpt(text: str, width: int = 30) -> str:
    return text if len(text) <= width else f"{text[:width]}…"
