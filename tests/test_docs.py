"""The documentation a newcomer and an operator read first: the README fits on a screen or two, every
environment variable the app reads is in docs/operations.md's Configuration table, and a module's
docstring stays short and links to the docs page that explains the rest."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Where variables are read: xmpolicy/env.py's typed readers, called by name, and a command's own constant.
ENV_READ = re.compile(r'\benv_[a-z_]+\(\s*"([A-Z][A-Z0-9_]+)"|^[A-Z_]+_ENV = "([A-Z][A-Z0-9_]+)"', re.MULTILINE)


def variables_read() -> set[str]:
    sources = [ROOT / "xmpolicy" / "settings.py", *sorted((ROOT / "measures").rglob("*.py"))]
    found = set()
    for path in sources:
        for match in ENV_READ.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found


def test_every_environment_variable_is_in_the_configuration_table():
    table = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", table, re.MULTILINE))
    read = variables_read()
    assert len(read) > 20, read  # the pattern still finds the settings' readers
    assert read - documented == set()


def test_the_readme_fits_on_a_screen_or_two():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 250


# A module says in a few lines what it is for and links to docs/ for the rest (issue 26).
LONGEST_MODULE_DOCSTRING = 14
DOCS_LINK = re.compile(r"\bdocs/([\w.-]+\.md)#([\w-]+)")
FENCED_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def product_modules() -> list[Path]:
    paths = [*ROOT.glob("measures/**/*.py"), *ROOT.glob("xmpolicy/**/*.py")]
    return sorted(path for path in paths if "migrations" not in path.parts)


def docstrings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = [tree, *(node for node in ast.walk(tree) if isinstance(node, ast.ClassDef | ast.FunctionDef))]
    return [text for node in nodes if (text := ast.get_docstring(node))]


def github_anchors(page: Path) -> set[str]:
    """The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces as hyphens."""
    text = FENCED_BLOCK.sub("", page.read_text(encoding="utf-8"))
    anchors, seen = set(), {}
    for heading in re.findall(r"^#{1,6} +(.+?) *#*$", text, re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


def test_module_docstrings_are_a_few_lines():
    too_long = {}
    for path in product_modules():
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        if docstring and len(docstring.splitlines()) > LONGEST_MODULE_DOCSTRING:
            too_long[path.relative_to(ROOT).as_posix()] = len(docstring.splitlines())
    assert too_long == {}


def test_every_docs_anchor_a_docstring_names_is_a_heading():
    named = {
        (path.relative_to(ROOT).as_posix(), page, anchor)
        for path in product_modules()
        for text in docstrings(path)
        for page, anchor in DOCS_LINK.findall(text)
    }
    assert len(named) >= 15, named  # the long docstrings' explanations now live in docs/
    anchors = {page.name: github_anchors(page) for page in (ROOT / "docs").glob("*.md")}
    missing = sorted(
        (module, f"docs/{page}#{anchor}") for module, page, anchor in named if anchor not in anchors.get(page, set())
    )
    assert missing == []


def test_every_link_to_a_heading_in_the_docs_names_one():
    anchors = {page.name: github_anchors(page) for page in (ROOT / "docs").glob("*.md")}
    linked, missing = 0, []
    for source in [*(ROOT / "docs").glob("*.md"), ROOT / "README.md"]:
        for page, anchor in re.findall(r"\]\(((?:docs/)?[\w.-]*\.md)?#([^)]+)\)", source.read_text(encoding="utf-8")):
            linked += 1
            name = (page or source.name).removeprefix("docs/")
            if anchor not in anchors.get(name, set()):
                missing.append(f"{source.name}: {page}#{anchor}")
    assert linked > 20  # the pattern still finds the links
    assert missing == []
