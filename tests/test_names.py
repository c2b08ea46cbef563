"""Each name means one thing: the award vocabulary is written once in the code, and no two modules of the
app give the same public name to two different things."""

import ast
from pathlib import Path

from measures.domain.models import Award
from measures.text import vocabulary

ROOT = Path(__file__).resolve().parent.parent
# The values an award is stored in (Award.Limit, Award.Recurrence, Award.Nature), as the database holds them.
AWARD_WORDS = {"exact", "ceiling", "once", "per_year", "unspecified", "reward", "subsidy", "support"}
# Names every module of their kind defines by Django's convention, and the test settings overriding the
# settings they import.
CONVENTIONAL = {"Command", "urlpatterns", "app_name", "logger"}
OVERRIDING = {"xmpolicy/settings_test.py"}
# Names still given to two things, left to the parts of the code that hold them (issue 26 names only the
# ones above); a name added to two modules from now on fails the test below.
NOT_YET_DISTINCT = {
    "LABELS",
    "MODELS",
    "Kind",
    "PublicMeasure",
    "MeasureGroup",
    "RESULTS_PER_PAGE",
    "PUBLISHED",
    "describe",
    "find",
    "changes",
    "measure_as_of",
}


def product_modules() -> list[Path]:
    paths = [*ROOT.glob("measures/**/*.py"), *ROOT.glob("xmpolicy/**/*.py")]
    return sorted(path for path in paths if "migrations" not in path.parts)


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def strings_assigned(node) -> list[str]:
    """The string constants an assignment gives, alone or in a tuple (a TextChoices member's value)."""
    value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
    items = value.elts if isinstance(value, ast.Tuple) else [value]
    return [item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)]


def test_each_award_word_is_declared_once_in_the_code():
    declared = {}
    for path in product_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for word in set(strings_assigned(node)) & AWARD_WORDS:
                declared.setdefault(word, []).append(f"{relative(path)}:{node.lineno}")
    assert {word: len(places) for word, places in declared.items()} == dict.fromkeys(AWARD_WORDS, 1), declared
    assert {place.split(":")[0] for places in declared.values() for place in places} == {"measures/text/vocabulary.py"}


def test_the_award_choices_store_the_vocabulary():
    assert set(Award.Limit.values) == {vocabulary.EXACT, vocabulary.CEILING}
    assert set(Award.Recurrence.values) == {vocabulary.ONCE, vocabulary.PER_YEAR, vocabulary.UNSPECIFIED}
    assert set(Award.Nature.values) == {vocabulary.REWARD, vocabulary.SUBSIDY, vocabulary.SUPPORT}


def module_level_names(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for target in targets:
            elements = target.elts if isinstance(target, ast.Tuple) else [target]
            names.update(element.id for element in elements if isinstance(element, ast.Name))
    return {name for name in names if not name.startswith("_")}


def test_no_public_name_is_given_to_two_things():
    defined = {}
    for path in product_modules():
        if relative(path) in OVERRIDING:
            continue
        for name in module_level_names(path) - CONVENTIONAL - NOT_YET_DISTINCT:
            defined.setdefault(name, []).append(relative(path))
    assert {name: paths for name, paths in defined.items() if len(paths) > 1} == {}
