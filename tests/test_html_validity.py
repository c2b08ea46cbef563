"""Every public page, in Chinese and in English, is valid HTML by the Nu HTML Checker (vnu), the
checker behind validator.w3.org/nu, run here offline from the npm registry's vnu-jar (package.json)
on Debian's Java (scripts/install-system-packages); `make test` installs both.

The pages (tests/public_pages.py) are rendered with Django's test client, written to a folder and
checked in one run of the checker (one Java start for all of them). Any error it reports fails the
test, listed page by page.
"""

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from measures.domain.eligibility import ApplicationInfo
from measures.domain.models import Measure
from tests.public_pages import PAGES, edit_once, render

pytestmark = [pytest.mark.django_db, pytest.mark.validator]

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# For one short run: the quick compiler only, and the simple garbage collector, take half the CPU time of
# Java's defaults; the checker's schema needs a deeper stack than the quick compiler leaves it.
JAVA_OPTIONS = ["-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
LANGUAGES = ("zh-hans", "en")


@pytest.fixture
def edited_policy(real_policy):
    edit_once(real_policy)
    # A 去办理 link and an expected window (预计), the test's own: no source gives either for the policy.
    ApplicationInfo.objects.create(
        measure=Measure.objects.get(policy=real_policy, number=2),
        entry_name="测试办理系统",
        entry_url="https://apply.example.gov.cn/start",
        entry_online=True,
        expected_opens=datetime.date(2027, 3, 1),
        expected_closes=datetime.date(2027, 3, 31),
        expected_basis="以往年度通知于3月发布",
    )
    return real_policy


def nu_errors(files: list[Path]) -> dict[str, list[str]]:
    """The checker's errors for each file (by name), as "line:column: message"."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: run `bash scripts/install-system-packages` (or `make test`)")
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci` (or `make test`, which runs it)")
    completed = subprocess.run(
        [java, *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--exit-zero-always"]
        + [str(file) for file in files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        report = json.loads(completed.stderr)  # the checker writes its report to stderr
    except json.JSONDecodeError:
        pytest.fail(f"the Nu HTML Checker did not report (exit {completed.returncode}):\n{completed.stderr[-2000:]}")
    errors = {}
    for message in report["messages"]:
        name = Path(message.get("url", "unknown")).name
        where = f"{message.get('lastLine', '?')}:{message.get('firstColumn', message.get('lastColumn', '?'))}"
        extract = " ".join(message.get("extract", "").split())
        errors.setdefault(name, []).append(f"{where}: {message['message']} [{extract}]")
    return errors


# Checked with the pages, to show that the checker read the files and reports what it finds: a page
# whose one error is a time with microseconds, as the change history once wrote them.
CONTROL = (
    '<!doctype html><html lang="en"><title>control</title>'
    '<time datetime="2025-03-01T09:30:00.123456+08:00">1 March</time></html>'
)


def test_every_public_page_in_both_languages_passes_the_nu_html_checker(edited_policy, tmp_path):
    files = {}
    for language in LANGUAGES:
        for number, page in enumerate(PAGES):
            path = tmp_path / f"{language}-{number:02d}.html"
            path.write_text(render(page, language), encoding="utf-8")
            files[path.name] = f"{page.name} ({language}, {page.url})"
    (tmp_path / "control.html").write_text(CONTROL, encoding="utf-8")

    errors = nu_errors([tmp_path / name for name in [*files, "control.html"]])

    control = errors.pop("control.html", [])
    assert len(control) == 1 and "fraction of a second" in control[0], control
    if errors:
        report = [f"{files.get(name, name)}: {len(found)}\n  " + "\n  ".join(found) for name, found in errors.items()]
        total = sum(map(len, errors.values()))
        pytest.fail(
            f"{total} errors from the Nu HTML Checker on {len(errors)} pages:\n" + "\n".join(report), pytrace=False
        )
