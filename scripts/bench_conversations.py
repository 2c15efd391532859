"""Benchmark (not a test): conversations at scale (issue 16).

Three measures, all printed, the last line of each part a verdict against its target:
  1. in memory: the opinion groups of 1,000 participants × 200 statements, 50 votes each (the
     pipeline the Celery task runs: imputation, PCA, k-means for k = 2..5 with silhouettes,
     representative / consensus / divisive statements, disclosure of every count); target ≤ 2 s;
  2. with --db: the task itself (``conversations.snapshots.snapshot_compute``: reading the votes,
     the pipeline, storing the snapshot) on a database seeded with bulk inserts (seeding is not
     measured): PostgreSQL database ``psm_bench_conversations`` on the server of DATABASE_URL,
     else a temporary SQLite file (``scripts/benchkit.py``); target ≤ 2 s;
  3. with --db: voting on statements over HTTP, ``POST /conversazioni/affermazioni/<id>/voto/``
     by signed-in participants through the real view and service, on the production HTTP server
     (granian, one worker per core when REDIS_URL is set, else one), driven by wrk: each request
     a different (participant, statement) pair; **votes/s = votes stored in the database ÷ run
     time**; target ≥ 500/s. Two runs: as phones send it with htmx (``HX-Request``: the answer
     is the next statement's card) and as a plain form (no JavaScript: a redirect).

    .venv/bin/python scripts/bench_conversations.py [--participants 1000] [--statements 200]
        [--votes 50] [--groups 3] [--db] [--no-http] [--json]

Environment for the HTTP runs: BENCH_SECONDS (default 8), BENCH_MAX_REQUESTS (50000),
BENCH_PORT (8771), BENCH_WORKERS, BENCH_CONV_DB (default psm_bench_conversations).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "site"), str(ROOT), str(ROOT / "scripts")]

import benchkit  # noqa: E402

VOTE_TARGET = 500.0
RECOMPUTE_TARGET = 2.0
VOTE_USERS = 100
VOTE_CONNECTIONS = 50
LUA_STATEMENT_VOTE = r"""
local threads_seen = 0
setup = function(thread)
  thread:set("tid", threads_seen)
  threads_seen = threads_seen + 1
end
local n = 0
local choices = {"agree", "disagree", "pass"}
request = function()
  local g = n * THREADS + tid
  n = n + 1
  local user = SESSIONS[(g % #SESSIONS) + 1]
  local statement = STATEMENTS[(math.floor(g / #SESSIONS) % #STATEMENTS) + 1]
  local headers = {
    ["Cookie"] = "sessionid=" .. user .. "; csrftoken=@CSRF@",
    ["X-CSRFToken"] = "@CSRF@",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  if HTMX then headers["HX-Request"] = "true" end
  return wrk.format("POST", "/conversazioni/affermazioni/" .. statement .. "/voto/", headers,
    "voto=" .. choices[(g % 3) + 1])
end
"""


def in_memory(args) -> dict:
    from sklearn.metrics import adjusted_rand_score
    from threadpoolctl import threadpool_limits

    from conversations.analysis.clustering import opinion_groups
    from conversations.analysis.report import build_report
    from conversations.analysis.synthetic import planted
    from conversations.disclosure import published_cells

    matrix, truth = planted(
        participants=args.participants,
        statements=args.statements,
        groups=args.groups,
        votes_each=args.votes,
        seed=args.seed,
    )
    start = time.perf_counter()
    with threadpool_limits(limits=1):
        groups = opinion_groups(matrix, min_votes=7, seed=args.seed)
        middle = time.perf_counter()
        data = build_report(matrix, groups)
    reported = time.perf_counter()
    data["published"] = published_cells(data, int(groups.placed.sum()))
    end = time.perf_counter()
    rand = adjusted_rand_score(truth, groups.labels)
    print(
        f"in memory: {args.participants} participants × {args.statements} statements, "
        f"{args.votes} votes each ({args.participants * args.votes} votes), {args.groups} planted"
    )
    print(f"  groups (impute, PCA, k-means k=2..5, silhouette): {(middle - start) * 1000:7.1f} ms")
    print(
        f"  statements (representative, consensus, divisive): {(reported - middle) * 1000:7.1f} ms"
    )
    print(f"  disclosure of every published count:              {(end - reported) * 1000:7.1f} ms")
    print(f"  total:                                            {(end - start) * 1000:7.1f} ms")
    print(f"  found {groups.count} groups, adjusted Rand index {rand:.3f}")
    return {
        "groups_ms": round((middle - start) * 1000, 1),
        "statements_ms": round((reported - middle) * 1000, 1),
        "disclosure_ms": round((end - reported) * 1000, 1),
        "seconds": round(end - start, 3),
        "groups_found": groups.count,
        "adjusted_rand_index": round(float(rand), 3),
    }


def seed_conversation(args):
    """The bench conversation: its consultation under action 5.2.1 (a conversation phase now),
    the statements and the planted votes, by bulk inserts."""
    from conversations.analysis.synthetic import planted
    from conversations.models import Conversation, Statement, StatementVote
    from psm.models import ActionPage
    from tests.consultations.factories import make_consultation

    consultation = make_consultation(
        phases=("conversation",),
        parent=ActionPage.objects.get(locale__language_code="it", code="5.2.1"),
    )
    conversation = Conversation.objects.create(consultation=consultation, question="Bench", seed=1)
    statements = Statement.objects.bulk_create(
        Statement(conversation=conversation, text=f"Affermazione {i}", status="published")
        for i in range(args.statements)
    )
    matrix, _truth = planted(
        participants=args.participants,
        statements=args.statements,
        groups=args.groups,
        votes_each=args.votes,
        seed=args.seed,
    )
    StatementVote.objects.bulk_create(
        (
            StatementVote(
                conversation=conversation,
                statement=statements[col],
                participant_key=f"d{row}",
                choice=int(matrix.values[row, col]),
            )
            for row in range(args.participants)
            for col in range(args.statements)
            if matrix.values[row, col] == matrix.values[row, col]  # not NaN
        ),
        batch_size=5000,
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would on a live server
    return conversation, [s.pk for s in statements]


def with_database(args, db: benchkit.Database) -> tuple[dict, dict]:
    from conversations.snapshots import snapshot_compute

    started = time.perf_counter()
    conversation, statement_ids = seed_conversation(args)
    seeding = time.perf_counter() - started
    start = time.perf_counter()
    snapshot = snapshot_compute(conversation)
    elapsed = time.perf_counter() - start
    print(f"database ({db.description}): seeding {seeding:.1f} s (not measured)")
    print(f"  snapshot_compute (read votes, pipeline, store): {elapsed * 1000:7.1f} ms")
    print(
        f"  {snapshot.votes_count} votes, {snapshot.groups_count} groups, "
        f"{snapshot.placed_count} placed"
    )
    figures = {
        "seconds": round(elapsed, 3),
        "votes": snapshot.votes_count,
        "groups": snapshot.groups_count,
        "placed": snapshot.placed_count,
    }
    return figures, {"conversation": conversation.pk, "statements": statement_ids}


def stored_votes(conversation_id: int) -> int:
    from conversations.models import StatementVote

    return StatementVote.objects.filter(conversation_id=conversation_id).count()


def vote_query_count(base: str, statement: int, session: str, *, htmx: bool) -> int | None:
    """SQL queries of one vote (a separate request, asked with ``X-Bench-Count-Queries``)."""
    from bench import CSRF_SECRET

    headers = {
        "X-Bench-Count-Queries": "1",
        "Cookie": f"sessionid={session}; csrftoken={CSRF_SECRET}",
        "X-CSRFToken": CSRF_SECRET,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    if htmx:
        headers["HX-Request"] = "true"
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{base}/conversazioni/affermazioni/{statement}/voto/",
        data=b"voto=agree",
        method="POST",
        headers=headers,
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        response = urllib.request.build_opener(NoRedirect).open(request, timeout=30)
    except urllib.error.HTTPError as error:  # the 302 of the plain form
        response = error
    value = response.headers.get("X-Bench-Query-Count")
    return int(value) if value is not None else None


def over_http(db: benchkit.Database, env: dict[str, str], seeded: dict) -> list[dict]:
    """Votes stored per second over HTTP, with htmx and as a plain form."""
    from bench import CSRF_SECRET, THREADS, wrk_run
    from django.db import connections

    users = benchkit.seed(
        env, {"users": VOTE_USERS, "sessions": VOTE_USERS, "email_prefix": "conv"}
    )["users"]
    sessions = [user["session"] for user in users]
    statements = seeded["statements"]
    spare, loaded = statements[-1], statements[:-1]  # the spare one for the query count
    half = len(loaded) // 2  # each run its own statements: every request a new pair
    redis = bool(os.environ.get("REDIS_URL"))
    workers = int(os.environ.get("BENCH_WORKERS", (os.cpu_count() or 1) if redis else 1))
    if not redis:
        workers = 1  # local-memory cache and in-memory channel layer don't cross processes
    port = benchkit.free_port(int(os.environ.get("BENCH_PORT", "8771")))
    connections.close_all()
    server = benchkit.start_server(env, port=port, workers=workers, kind="granian")
    rows = []
    try:
        for key, htmx, chunk in (
            ("htmx", True, loaded[:half]),
            ("form", False, loaded[half:]),
        ):
            lua = (
                f"THREADS = {THREADS}\nHTMX = {'true' if htmx else 'false'}\n"
                f"SESSIONS = {{{','.join(json.dumps(s) for s in sessions)}}}\n"
                f"STATEMENTS = {{{','.join(str(s) for s in chunk)}}}\n"
                + LUA_STATEMENT_VOTE.replace("@CSRF@", CSRF_SECRET)
            )
            before = stored_votes(seeded["conversation"])
            connections.close_all()
            result = wrk_run(
                server.base, "/", connections=VOTE_CONNECTIONS, lua=lua, label=f"vote ({key})"
            )
            stored = stored_votes(seeded["conversation"]) - before
            connections.close_all()
            result.update(
                key=key,
                votes_stored=stored,
                votes_per_s=round(stored / result["seconds"], 1) if result["seconds"] else 0.0,
                pairs_available=len(sessions) * len(chunk),
                queries=vote_query_count(server.base, spare, sessions[0], htmx=htmx),
            )
            rows.append(result)
        peak = server.peak_rss_mib()
    finally:
        server.stop()
    print(
        f"voting over HTTP: granian, {workers} worker(s), {db.kind}, "
        f"{'Redis' if redis else 'embedded cache and eager Celery'}; wrk, {THREADS} threads, "
        f"{VOTE_CONNECTIONS} connections, peak RSS {peak} MiB"
    )
    for row in rows:
        label = "htmx (next statement's card)" if row["key"] == "htmx" else "plain form (redirect)"
        errors = sum(row["errors"].values())
        print(
            f"  {label:30} {row['votes_per_s']:7.1f} votes/s stored "
            f"({row['rps']:.1f} POST/s, {row['votes_stored']} stored of "
            f"{row['pairs_available']} pairs), p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, "
            f"{row['queries']} queries, {errors} errors"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--votes", type=int, default=50)
    parser.add_argument("--groups", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--db", action="store_true", help="also measure through the database")
    parser.add_argument("--no-http", action="store_true", help="with --db: skip the vote runs")
    args = parser.parse_args()
    db = env = None
    if args.db:
        # Its own Celery queue and channel prefix: other bench servers on the same Redis never
        # see its tasks.
        os.environ.setdefault("BENCH_PREFIX", "psm-bench-conv")
        db = benchkit.prepare_loaded_database(
            os.environ.get("BENCH_CONV_DB", "psm_bench_conversations")
        )
        env = benchkit.django_env(db)
        os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    report: dict = {"in_memory": in_memory(args)}
    worst = report["in_memory"]["seconds"]
    try:
        if args.db:
            report["database"], seeded = with_database(args, db)
            worst = max(worst, report["database"]["seconds"])
            if not args.no_http:
                report["votes_http"] = over_http(db, env, seeded)
    finally:
        if db is not None:
            from django.db import connections

            connections.close_all()
            db.cleanup()
    verdict = "within" if worst <= RECOMPUTE_TARGET else "OVER"
    print(f"recompute: {worst:.2f} s ({verdict} the {RECOMPUTE_TARGET:g} s target)")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "bench_conversations.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if report.get("votes_http"):
        rate = min(row["votes_per_s"] for row in report["votes_http"])
        verdict = "within" if rate >= VOTE_TARGET else "UNDER"
        print(
            f"votes on statements: {rate:.1f}/s stored in the slower run "
            f"({verdict} the ≥ {VOTE_TARGET:g}/s target)"
        )


if __name__ == "__main__":
    main()
