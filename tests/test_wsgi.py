"""The WSGI application loads the URL configuration when a worker starts, not on its first request."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_importing_the_wsgi_application_imports_every_url_module():
    script = (
        "import sys, config.wsgi; "
        "print(all(m in sys.modules for m in ('config.urls', 'config.api_router', 'assessments.api.views')))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True", out.stderr
