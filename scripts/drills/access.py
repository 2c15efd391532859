"""The ``access`` drill: every URL pattern × every role × GET and POST."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from drills.harness import Result, run_pytest


def drill_access() -> Result:
    """Every URL pattern × every role × GET and POST; the test writes one JSON line per role
    and method (requests, HTML pages whose headers it checked) to ``ACCESS_STATS``."""
    handle, stats_name = tempfile.mkstemp(prefix="psm-drill-access-", suffix=".jsonl")
    os.close(handle)
    stats = Path(stats_name)
    os.environ["ACCESS_STATS"] = stats_name
    try:
        ok, summary = run_pytest("tests/drills/test_access.py", workers=2)
    finally:
        os.environ.pop("ACCESS_STATS", None)
    rows = [json.loads(line) for line in stats.read_text().splitlines() if line.strip()]
    stats.unlink()
    patterns = max((row["requests"] for row in rows), default=0)
    roles = len({row["role"] for row in rows})
    methods = sorted({row["method"] for row in rows})
    requests = sum(row["requests"] for row in rows)
    pages = sum(row["html_checked"] for row in rows)
    return Result(
        "access",
        ok,
        f"{patterns} URL patterns × {roles} roles × {len(methods)} methods "
        f"({'+'.join(methods)}, {requests} requests) against the table, refused POSTs leave "
        f"the database unchanged, CSRF enforced; security headers checked on {pages} HTML "
        f"pages: {summary}",
    )
