"""The layers of the code, checked from its imports: `ls measures/` shows them, and imports point down.

Bottom to top: the project's infrastructure (xmpolicy/: settings, middleware that knows nothing of the
content), measures/text/ (pure functions), measures/domain/ (models, the revision, the public history),
measures/search/, then the two faces side by side, measures/editing/ and measures/public/, which do not
import each other; Django's fixed places (models.py, admin.py, apps.py, templatetags/, management/) sit
on top as thin entries that nothing imports. Inside measures/public/ the rooms are ordered the same way
(PUBLIC_ROOMS). No module imports itself round a cycle, and an import inside a function says why on
its line or the line above."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each package's layer: a module may import its own layer and those below, never one above.
LAYERS = {
    "xmpolicy": 0,
    "measures.text": 1,
    "measures.domain": 2,
    "measures.search": 3,
    "measures.editing": 4,
    "measures.public": 4,
    "measures.models": 5,
    "measures.admin": 5,
    "measures.apps": 5,
    "measures.templatetags": 5,
    "measures.management": 5,
}
# Side by side: neither may import the other.
SIBLINGS = [("measures.editing", "measures.public")]

# The rooms of measures/public/, ordered as the layers are: a room may import its own modules and the
# rooms below it; rooms of the same rank do not import each other.
PUBLIC_ROOMS = {
    # The public URLconf, which mounts the faces.
    "measures.public.urls": 4,
    # The faces: the pages, the JSON API, the sitemap.
    "measures.public.views": 3,
    "measures.public.api": 3,
    "measures.public.sitemaps": 3,
    # 纠错 and 提问: the form on every measure and /feedback/ (its address field and mail heading are the
    # alerts').
    "measures.public.feedback": 3,
    # The e-mail alerts: their own pages, and the follow links the faces show.
    "measures.public.alerts": 2,
    # The downloads described as one Data Package (it reads the exports' columns).
    "measures.public.data_package": 2,
    # The policy library's catalogue, filters and CSV columns (it reads the finder's facets and the exports).
    "measures.public.library": 2,
    # The features the faces and the alerts share, and the middleware of the public answers.
    "measures.public.finder": 1,
    "measures.public.calculator": 1,
    "measures.public.calendar": 1,
    "measures.public.timeline": 1,
    "measures.public.exports": 1,
    "measures.public.linked_data": 1,
    "measures.public.charts": 1,
    "measures.public.qrcode": 1,
    "measures.public.page_cache": 1,
    "measures.public.one_value": 1,
    # How every page writes numbers, languages and addresses.
    "measures.public.formatting": 0,
    "measures.public.query_urls": 0,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    paths = [*ROOT.glob("measures/**/*.py"), *ROOT.glob("xmpolicy/**/*.py")]
    return {module_name(path): path for path in paths if "migrations" not in path.parts}


MODULES = project_modules()


def layer(module: str, layers: dict[str, int] = LAYERS) -> tuple[str, int] | None:
    for package, rank in sorted(layers.items(), key=lambda item: -len(item[0])):
        if module == package or module.startswith(package + "."):
            return package, rank
    return None


def imports(module: str) -> list[tuple[str, int, bool]]:
    """(imported project module, line, inside a function) for each import of `module`."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join([*package.split(".")[: len(package.split(".")) - child.level + 1], base]).strip(".")
                for alias in child.names:
                    target = f"{base}.{alias.name}"
                    found.append((target if target in MODULES else base, child.lineno, in_function))
            visit(child, inside)

    visit(tree, False)
    return [(target, line, nested) for target, line, nested in found if target in MODULES]


def test_every_module_of_the_app_belongs_to_a_layer():
    assert [m for m in MODULES if m.startswith("measures.") and layer(m) is None] == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    own = layer(module)
    for target, line, _nested in imports(module):
        theirs = layer(target)
        if own is None or theirs is None or theirs[0] == own[0]:
            continue
        assert theirs[1] < own[1], f"{module}:{line} imports {target}, which is not below it"
        for one, other in SIBLINGS:
            assert {own[0], theirs[0]} != {one, other}, f"{module}:{line} imports {target}: side by side"


PUBLIC_MODULES = sorted(m for m in MODULES if m.startswith("measures.public."))


def test_every_module_of_the_public_face_belongs_to_a_room():
    assert [m for m in PUBLIC_MODULES if layer(m, PUBLIC_ROOMS) is None] == []


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_imports_inside_the_public_face_point_down(module):
    own = layer(module, PUBLIC_ROOMS)
    for target, line, _nested in imports(module):
        theirs = layer(target, PUBLIC_ROOMS)
        if own is None or theirs is None or theirs[0] == own[0]:
            continue
        assert theirs[1] < own[1], f"{module}:{line} imports {target}, which is not below it in measures/public/"


def test_no_module_imports_itself_round_a_cycle():
    graph = {module: {target for target, _line, _nested in imports(module)} - {module} for module in MODULES}
    state, cycles = {}, []

    def walk(module, trail):
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                walk(target, [*trail, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert cycles == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_an_import_inside_a_function_says_why(module):
    lines = MODULES[module].read_text(encoding="utf-8").splitlines()
    for target, line, nested in imports(module):
        if not nested:
            continue
        # The comment: on the import's line, or just above the group of imports it belongs to.
        above = line - 2
        while above >= 0 and (not lines[above].strip() or lines[above].strip().startswith(("from ", "import "))):
            above -= 1
        said = "#" in lines[line - 1] or lines[above].strip().startswith("#")
        assert said, f"{module}:{line} imports {target} inside a function without a comment saying why"


def test_the_project_package_imports_nothing_of_the_app():
    for module in (m for m in MODULES if m.startswith("xmpolicy")):
        assert [t for t, _line, _nested in imports(module) if t.startswith("measures")] == [], module


TEST_MODULES = sorted(ROOT.glob("tests/**/test_*.py")) + sorted(ROOT.glob("tests/**/conftest.py"))


@pytest.mark.parametrize("path", TEST_MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_test_module_imports_no_other_test_module_or_conftest(path):
    """Each test module stands alone: what tests share lives in conftest.py (fixtures, found by pytest)
    or in a helpers module under tests/ (html, admin_forms, data, query_budgets, settings_env)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    wrong = [
        name
        for name in imported
        if name.startswith("tests.") and name.rpartition(".")[2].startswith(("test_", "conftest"))
    ]
    assert wrong == []
