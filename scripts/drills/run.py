"""``make drills``: reliability drills, one line each; exit status 1 only on a real fault.

    .venv/bin/python scripts/drills/run.py                  # every drill
    .venv/bin/python scripts/drills/run.py redis votes      # some of them (by name prefix)
    .venv/bin/python scripts/drills/run.py --list           # their names

Drills: headers, access, bad-input (pytest parts in tests/drills/), redis-outage,
worker-outage (a real Celery worker stopped and killed while e-mails are queued, an SMTP sink
in scripts/drills/smtp_sink.py), vote-integrity, db-restart (real uvicorn servers on
127.0.0.1, private Redis and PostgreSQL instances). What each one proves: docs/reliability.md.
The package ``drills`` (this directory) holds the harness, the private servers and one module
per drill.
"""

from __future__ import annotations

import sys
from pathlib import Path

# scripts/ (for benchkit and this package) in place of scripts/drills: the drill modules are
# imported as ``drills.<name>``, never as top-level modules.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from drills.access import drill_access  # noqa: E402
from drills.bad_input import drill_bad_input  # noqa: E402
from drills.db_restart import drill_db_restart  # noqa: E402
from drills.harness import run_drills  # noqa: E402
from drills.headers import drill_headers  # noqa: E402
from drills.redis_outage import drill_redis_outage  # noqa: E402
from drills.vote_integrity import drill_vote_integrity  # noqa: E402
from drills.worker_outage import drill_worker_outage  # noqa: E402

DRILLS = {
    "headers": drill_headers,
    "access": drill_access,
    "bad-input": drill_bad_input,
    "redis-outage": drill_redis_outage,
    "worker-outage": drill_worker_outage,
    "vote-integrity": drill_vote_integrity,
    "db-restart": drill_db_restart,
}


def main() -> int:
    wanted = sys.argv[1:]
    if wanted and wanted[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    if wanted and wanted[0] == "--list":
        print("\n".join(DRILLS))
        return 0
    return run_drills(DRILLS, wanted)


if __name__ == "__main__":
    sys.exit(main())
