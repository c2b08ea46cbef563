"""The documentation a newcomer and an operator read first: the README fits on a screen or two, and every
environment variable the app reads is in docs/operations.md's Configuration table."""

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
