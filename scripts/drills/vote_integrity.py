"""The ``vote-integrity`` drill: thousands of concurrent vote attempts over HTTP on PostgreSQL,
served as in production (granian, WSGI), in a ``limited`` consultation (plain form posts to the
view: supports counted under a lock, at most 10 each) and in a plain ``support`` one (htmx posts:
the quick path, ``proposals.quick_support``, whose batches of ``INSERT ... ON CONFLICT DO
NOTHING`` leave "once per person" to the database's unique constraint alone; its repeats and
doubts go to the view)."""

from __future__ import annotations

import os
import random
import re
import threading
import time
from collections import Counter

import benchkit

from drills.harness import Client, Result, Tally, flash_messages

#: PostgreSQL connections in each worker's pool during the drill (production: 8).
POOL_SIZE = "4"
#: What the server's log must not show: a request failed, or handed from the quick path to the
#: view after an exception.
LOG_FAULTS = re.compile(r"Traceback|PoolTimeout|quick request handed to the view")

#: The status line of the fragment after a stored support (``proposals.vote_fragment``).
SUPPORTED = re.compile(rb'role="status">Hai sostenuto \xc2\xab')


def _accepted(status: int, headers: dict[str, str], body: bytes, *, htmx: bool) -> bool:
    """Whether the answer says the support was stored: the fragment's status line (htmx), or
    the success message (a form post, redirected)."""
    if htmx:
        return status == 200 and SUPPORTED.search(body) is not None
    return any(level == 25 for level, _t in flash_messages(headers))


def _log_faults(server) -> tuple[int, str]:
    """How many faults the server's log shows, and where to read them (when there are)."""
    faults = len(LOG_FAULTS.findall(server.log_text()))
    return faults, f"; server log: {server.log_path}" if faults else ""


def _vote_attempts(users, proposals, per_voter: int) -> list:
    """Every (voter, proposal) attempt, one in four a repeat, shuffled so that a voter's
    attempts run concurrently on different threads."""
    rng = random.Random(42)  # noqa: S311 - a reproducible workload
    tasks = []
    for user in users:
        distinct = rng.sample(proposals, per_voter - per_voter // 4)
        attempts = distinct + rng.sample(distinct, per_voter // 4)
        tasks += [(user, pid) for pid in attempts]
    rng.shuffle(tasks)
    return tasks


def drill_vote_integrity() -> Result:
    if not os.environ.get("DATABASE_URL"):
        return Result("vote-integrity", None, "skipped: needs PostgreSQL (set DATABASE_URL)")
    voters = int(os.environ.get("DRILL_VOTERS", "500"))
    per_voter = int(os.environ.get("DRILL_VOTES_EACH", "16"))  # limited mode (> 10 distinct)
    per_voter_plain = int(os.environ.get("DRILL_PLAIN_VOTES_EACH", "8"))  # support mode
    # All 12,000 attempts by default: about 55 a second on a 2-core machine, 20 on a slow one.
    budget = float(os.environ.get("DRILL_VOTE_SECONDS", "900"))
    max_supports = 10
    db = benchkit.prepare_loaded_database("psm_drill_votes")
    server = None
    try:
        # Fewer pooled connections per worker than the drill's threads: a request that holds one
        # while it waits for another thread (core.connections) shows as a stall and a
        # PoolTimeout in the server's log.
        env = benchkit.django_env(db, BENCH_PREFIX="psm-drill", DB_POOL_MAX_SIZE=POOL_SIZE)
        seeded = benchkit.seed(
            env,
            {
                "users": voters,
                "sessions": voters,
                "email_prefix": "votedrill",
                "consultations": [
                    {
                        "key": "votes",
                        "title": "Drill voti",
                        "proposals": 40,
                        "mode": "limited",
                        "max_supports": max_supports,
                    },
                    {"key": "plain", "title": "Drill voti liberi", "proposals": 40},
                ],
            },
        )
        workers = os.cpu_count() or 1
        server = benchkit.start_server(
            env, port=benchkit.free_port(8785), workers=workers, kind="granian"
        )
        limited = seeded["consultations"]["votes"]["proposal_ids"]
        plain = seeded["consultations"]["plain"]["proposal_ids"]
        htmx = set(plain)  # supports sent as the button sends them with JavaScript
        tasks = _vote_attempts(seeded["users"], limited, per_voter)
        tasks += _vote_attempts(seeded["users"], plain, per_voter_plain)
        random.Random(7).shuffle(tasks)  # noqa: S311 - both consultations at once
        accepted = Counter()
        tally = Tally()
        queue = iter(tasks)
        queue_lock = threading.Lock()
        deadline = time.monotonic() + budget
        started = time.monotonic()

        def worker():
            clients: dict[str, Client] = {}
            while time.monotonic() < deadline:
                with queue_lock:
                    task = next(queue, None)
                if task is None:
                    return
                user, pid = task
                client = clients.setdefault(user["session"], Client(server.port, user["session"]))
                extra = {"HX-Request": "true"} if pid in htmx else None
                try:
                    status, headers = client.request(
                        "POST", f"/proposte/{pid}/sostegno/", extra=extra
                    )
                except Exception as error:
                    tally.add("vote", None, f"{type(error).__name__}: {error}")
                    continue
                tally.add("vote", status)
                if _accepted(status, headers, client.body, htmx=extra is not None):
                    with tally.lock:
                        accepted[user["id"]] += 1

        threads = [threading.Thread(target=worker) for _ in range(64)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        attempted = tally.total()
        import psycopg

        with psycopg.connect(db.url.replace("postgres://", "postgresql://", 1)) as conn:
            stored = conn.execute("SELECT count(*) FROM proposals_vote").fetchone()[0]
            duplicates = conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM proposals_vote GROUP BY proposal_id, voter_id"
                " HAVING count(*) > 1) d"
            ).fetchone()[0]
            most = conn.execute(
                "SELECT coalesce(max(n), 0) FROM (SELECT count(*) n FROM proposals_vote"
                " WHERE proposal_id = ANY(%s) GROUP BY voter_id) d",
                [limited],
            ).fetchone()[0]
            stored_plain = conn.execute(
                "SELECT count(*) FROM proposals_vote WHERE proposal_id = ANY(%s)", [plain]
            ).fetchone()[0]
            per_voter_db = dict(
                conn.execute("SELECT voter_id, count(*) FROM proposals_vote GROUP BY voter_id")
            )
        total_accepted = sum(accepted.values())
        mismatched = sum(1 for uid, n in accepted.items() if per_voter_db.get(uid, 0) != n)
        errors = tally.server_errors()
        faults, where = _log_faults(server)
        ok = (
            stored == total_accepted
            and duplicates == 0
            and most <= max_supports
            and mismatched == 0
            and errors == 0
            and faults == 0
        )
        scaled = (
            ""
            if attempted == len(tasks)
            else f" (scaled down by the {budget:.0f}s budget: {attempted} of {len(tasks)} sent)"
        )
        line = (
            f"{voters} voters × {per_voter} + {per_voter_plain} attempts{scaled} in "
            f"{elapsed:.0f}s over HTTP on PostgreSQL, {workers} granian workers: {total_accepted} "
            f"accepted = {stored} stored ({stored_plain} in support mode, sent with htmx), "
            f"{duplicates} "
            f"duplicates, at most {most} per voter in limited mode (limit {max_supports}), "
            f"{mismatched} voters whose stored votes differ from their accepted ones, "
            f"{errors} server errors, {faults} faults in the server's log (pool of {POOL_SIZE} "
            f"connections per worker; {attempted / elapsed:.0f} attempts/s){where}"
        )
        return Result("vote-integrity", ok, line)
    finally:
        if server is not None:
            server.stop()
        db.cleanup()
