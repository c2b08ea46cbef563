"""The API keeps the promises of its OpenAPI document, by Schemathesis (PyPI, requirements-dev.txt): every
check it has (`--checks all`: status codes, content types, headers and bodies as documented, valid
requests accepted, invalid ones refused, methods not offered refused, no 5xx), in all its phases
(examples, coverage, fuzzing, stateful), run as its command line runs it, against this site served by
the test's live server with the real policy loaded. Offline: it reads /api/schema/ from the live
server and sends requests nowhere else.

The number of examples is bounded and the seed fixed, so that the run is quick and repeatable; a
failure it reports fails the test with Schemathesis's own account of it (and the curl to reproduce it).
"""

import subprocess
import sys

import pytest

pytestmark = pytest.mark.contract

# Per operation and phase; with the coverage phase's own cases, about 300 requests in all.
MAX_EXAMPLES = 5
SEED = 20261130


@pytest.fixture
def site(live_server, real_policy):
    return live_server.url


def test_schemathesis_with_all_checks_finds_no_failure(site, tmp_path):
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{site}/api/schema/",
            "--checks",
            "all",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            str(SEED),
            "--workers",
            "2",
            "--generation-database",
            "none",
            "--no-color",
        ],
        cwd=tmp_path,  # no schemathesis.toml from elsewhere, and its reports stay in the test's folder
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[output.find("FAILURES") if "FAILURES" in output else 0 :][-12_000:]
    assert "No issues found" in output or " passed" in output, output[-3000:]
