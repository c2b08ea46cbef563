"""The real settings under a chosen environment, each read in a fresh interpreter (settings are read
once, at start-up)."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    """Import the real settings in a fresh interpreter with exactly this environment."""
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "XMPOLICY_ENV"}}
    code = "import xmpolicy.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.ALLOWED_HOSTS)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env={**base, **env}, capture_output=True, text=True, timeout=60
    )


PRODUCTION_ENV = dict(XMPOLICY_ENV="production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="policy.example.cn")


def read_settings(*names, **env):
    """The named settings, as Python literals, from the real settings under this environment."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "XMPOLICY_ENV"} and not k.startswith("ADMIN_LOGIN_")
    }
    code = f"import xmpolicy.settings as s; print(repr([getattr(s, n) for n in {list(names)!r}]))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env={**base, **env}, capture_output=True, text=True, timeout=60
    )
