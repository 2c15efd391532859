"""A web worker serving ordinary pages loads none of the heavy libraries that only a task, an
export, a PDF or an identity route needs (issue 14: worker RSS under 250 MiB; docs/
performance.md, "Worker memory"). Checked in a fresh process, as a worker starts: Django set
up, the whole URL conf imported, the home page served through the test client."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

#: Modules a page must not bring in: the opinion map's numpy/scipy/scikit-learn (and the nltk
#: and pandas they pull), textstat (the readability check), openpyxl (exports), reportlab
#: (certificates), pikepdf (uploads), pysaml2's schema-loading modules and xmlschema (SPID and
#: CIE). Pillow and lxml are not listed: Wagtail's own image checks and admin panels load them
#: at start-up.
HEAVY = (
    "numpy",
    "scipy",
    "sklearn",
    "pandas",
    "nltk",
    "textstat",
    "openpyxl",
    "reportlab",
    "pikepdf",
    "xmlschema",
    "saml2.sigver",
    "saml2.config",
    "saml2.mdstore",
    "saml2.client",
    "djangosaml2.views",
)

SCRIPT = """
import json, resource, sys
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.urls import get_resolver
get_resolver().reverse_dict  # every included URL conf, so every view module
from django.test import Client
status = Client().get("/").status_code
print(json.dumps({
    "status": status,
    "loaded": sorted(name for name in json.loads(sys.argv[1]) if name in sys.modules),
    "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def _database_url(tmp_path) -> str:
    """The test database, reachable from another process: PostgreSQL's by name; SQLite's
    in-memory one copied to a file (outside a transaction: the test is transactional)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "copy.sqlite3"
        target = sqlite3.connect(copy)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{copy}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_fresh_worker_serving_the_home_page_loads_no_heavy_library(plan, tmp_path):
    base = settings.BASE_DIR
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(tmp_path),
        # this checkout's code first, whatever the virtual environment's .pth names
        "PYTHONPATH": os.pathsep.join([str(base / "site"), str(base)]),
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT, json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        env=env,
        cwd=base,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 200
    assert outcome["loaded"] == []
