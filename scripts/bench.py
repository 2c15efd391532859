"""``make bench``: the platform's throughput against the limit of its own server.

Prepares an isolated database (PostgreSQL database ``psm_bench`` on the server of DATABASE_URL,
else a temporary SQLite file), seeds it, measures the bare Django view on each candidate HTTP
server (uvicorn, gunicorn, granian: the limit is the best of them), then starts the production
HTTP server (granian, WSGI; one worker per core when REDIS_URL is set, else one), drives it with
wrk on 127.0.0.1 (each run bounded in seconds and in requests) and prints one table, also
written to bench-results/bench.json.

Environment: BENCH_SECONDS (default 8), BENCH_COMPARE_SECONDS (default 5, each server of the
comparison), BENCH_MAX_REQUESTS (default 50000 per run), BENCH_CONNECTIONS (default 20),
BENCH_PORT (default 8771), BENCH_WORKERS (override), BENCH_SERVER (default granian),
BENCH_DB (default psm_bench), BENCH_ONLY_HTTP=1 (skip the live fan-out and selection runs).
"""

from __future__ import annotations

import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchkit  # noqa: E402
from benchkit import ROOT, log  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
COMPARE_SECONDS = int(os.environ.get("BENCH_COMPARE_SECONDS", "5"))
PRODUCTION_SERVER = os.environ.get("BENCH_SERVER", "granian")
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "50000"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "20"))
VOTE_CONNECTIONS = 50
#: People who only warm the vote run up (their supports are not counted), and for how long.
WARM_VOTERS = 20
WARM_SECONDS = 4
THREADS = 2
CSRF_SECRET = "benchbenchbenchbenchbenchbench12"  # an unmasked 32-character CSRF secret
WRK = "/usr/bin/wrk"

LUA_COMMON = r"""
local max_requests = tonumber(os.getenv("BENCH_THREAD_MAX") or "0")
local counter = 0
response = function(status, headers, body)
  counter = counter + 1
  if max_requests > 0 and counter >= max_requests then wrk.thread:stop() end
end
done = function(summary, latency, requests)
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""

LUA_VOTE = r"""
local threads_seen = 0
setup = function(thread)
  thread:set("tid", threads_seen)
  threads_seen = threads_seen + 1
end
local n = 0
request = function()
  local g = n * THREADS + tid
  n = n + 1
  local user = SESSIONS[(g % #SESSIONS) + 1]
  local proposal = PROPOSALS[(math.floor(g / #SESSIONS) % #PROPOSALS) + 1]
  return wrk.format("POST", "/proposte/" .. proposal .. "/sostegno/", {
    ["Cookie"] = "sessionid=" .. user .. "; csrftoken=@CSRF@",
    ["X-CSRFToken"] = "@CSRF@",
    ["HX-Request"] = "true",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "")
end
"""


def wrk_run(
    base: str, path: str, *, connections: int, lua: str, label: str, seconds: int = SECONDS
) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(lua + LUA_COMMON)
        script = handle.name
    env = dict(os.environ, BENCH_THREAD_MAX=str(max(MAX_REQUESTS // THREADS, 1)))
    cmd = [
        WRK,
        f"-t{THREADS}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        script,
        base + path,
    ]
    log(f"wrk {label}: {connections} connections, ≤{seconds}s, ≤{MAX_REQUESTS} requests")
    out = subprocess.run(  # noqa: S603 - wrk with our own arguments
        cmd, env=env, capture_output=True, text=True, check=True
    ).stdout
    os.unlink(script)
    match = re.search(r"BENCHJSON (\{.*\})", out)
    if not match:
        raise SystemExit(f"wrk gave no summary for {label}:\n{out}")
    raw = json.loads(match.group(1))
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "errors": {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")},
        "connections": connections,
    }


def get_lua(path: str, cookie: str = "") -> str:
    headers = f'["Cookie"] = "{cookie}"' if cookie else ""
    return f'request = function() return wrk.format("GET", "{path}", {{{headers}}}) end\n'


def vote_count(db: benchkit.Database, consultation_id: int) -> int:
    sql = (
        "SELECT count(*) FROM proposals_vote v JOIN proposals_proposal p ON p.id = v.proposal_id "
        "WHERE p.consultation_id = %s"
    )
    if db.kind == "sqlite":
        with sqlite3.connect(db.url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql.replace("%s", "?"), (consultation_id,)).fetchone()[0]
    import psycopg

    with psycopg.connect(db.url.replace("postgres://", "postgresql://", 1)) as conn:
        return conn.execute(sql, (consultation_id,)).fetchone()[0]


def post_query_count(base: str, path: str, session: str) -> int | None:
    request = urllib.request.Request(  # noqa: S310 - loopback
        base + path,
        data=b"",
        method="POST",
        headers={
            "X-Bench-Count-Queries": "1",
            "Cookie": f"sessionid={session}; csrftoken={CSRF_SECRET}",
            "X-CSRFToken": CSRF_SECRET,
            "HX-Request": "true",  # as the page's own form sends it (the fragment answer)
        },
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:  # the 302 arrives as an "error" without redirects
        response = error
    value = response.headers.get("X-Bench-Query-Count")
    return int(value) if value is not None else None


def last_json_object(text: str):
    """The last JSON object printed at the start of a line (possibly over several lines)."""
    decoder = json.JSONDecoder()
    found = None
    for match in re.finditer(r"^\{", text, flags=re.M):
        try:
            value, _end = decoder.raw_decode(text[match.start() :])
        except ValueError:
            continue
        if isinstance(value, dict):
            found = value
    return found


def run_script(name: str, env: dict[str, str], args: list[str], timeout: int = 420) -> dict:
    """Run another helper's benchmark script, if it exists, and keep its figures."""
    path = ROOT / "scripts" / name
    if not path.exists():
        return {"available": False, "note": f"scripts/{name} not available"}
    log(f"running scripts/{name} {' '.join(args)}")
    started = time.monotonic()
    try:
        out = subprocess.run(  # noqa: S603 - the repository's own script
            [benchkit.PY, str(path), *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"available": True, "ok": False, "note": f"timed out after {timeout}s"}
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    return {
        "available": True,
        "ok": out.returncode == 0,
        "command": f"scripts/{name} {' '.join(args)}".strip(),
        "seconds": round(time.monotonic() - started, 2),
        "figures": last_json_object(out.stdout),
        "summary": lines[-1] if lines else "",
        "output": lines[-20:],
        "stderr_tail": out.stderr.strip().splitlines()[-3:] if out.returncode else [],
    }


def target_for(key: str) -> str:
    """The goal of issue 14 for a row, as printed in the table."""
    if key == "limit":
        return ""
    if key == "vote":
        return "≥1000/s"
    if key == "detail_200":
        return ""
    return "≥0.050" if key.endswith("_user") else "≥0.100"


def compare_servers(env: dict[str, str], *, port: int, workers: int) -> list[dict]:
    """The bare Django view on each candidate HTTP server, one after the other (same workers,
    same load): the best is the limit every row is divided by."""
    results = []
    for kind in benchkit.SERVERS:
        server = benchkit.start_server(env, port=port, workers=workers, kind=kind)
        try:
            path = "/__bench/bare/"
            benchkit.count_queries(server.base + path)
            result = wrk_run(
                server.base,
                path,
                connections=CONNECTIONS,
                lua=get_lua(path),
                label=f"limit on {kind}",
                seconds=COMPARE_SECONDS,
            )
            result.update(server=kind, peak_rss_mib=server.peak_rss_mib())
            results.append(result)
        finally:
            server.stop()
    return results


def cpu_calibration_ms() -> float:
    """Milliseconds one core takes for a fixed pure-Python loop (best of three): hosts of the
    same kind differ by up to 3× in speed, so the absolute figures are read against this one;
    the ratios to the limit are comparable across hosts."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(2_000_000))
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def main() -> None:
    redis = bool(os.environ.get("REDIS_URL"))
    calibration = cpu_calibration_ms()
    default_workers = (os.cpu_count() or 1) if redis else 1
    workers = int(os.environ.get("BENCH_WORKERS", default_workers))
    if not redis:
        workers = 1  # local-memory cache and in-memory channel layer don't cross processes
    load_before = os.getloadavg()
    db = benchkit.prepare_database(os.environ.get("BENCH_DB", "psm_bench"))
    log(f"database: {db.description}")
    env = benchkit.django_env(db, BENCH_BARE_VIEW="1")
    server = None
    try:
        started = time.monotonic()
        benchkit.migrate_and_load(env)
        spec = {
            "users": 100 + WARM_VOTERS,
            "sessions": 100 + WARM_VOTERS,
            "consultations": [
                {
                    "key": "list1k",
                    "title": "Bench: 1.000 proposte",
                    "proposals": 1000,
                    "votes": 5000,
                    "detail_comments": 200,
                },
                {"key": "list10k", "title": "Bench: 10.000 proposte", "proposals": 10000},
                {"key": "vote", "title": "Bench: voto", "proposals": 301},
            ],
        }
        seeded = benchkit.seed(env, spec)
        log(f"migrated and seeded in {time.monotonic() - started:.0f}s")
        port = benchkit.free_port(int(os.environ.get("BENCH_PORT", "8771")))
        servers = compare_servers(env, port=port, workers=workers)
        limit_rps = max(item["rps"] for item in servers)
        server = benchkit.start_server(env, port=port, workers=workers, kind=PRODUCTION_SERVER)
        base = server.base
        cons = seeded["consultations"]
        signed_in = "sessionid=" + seeded["users"][-1]["session"]
        pages = [
            ("home", "Home page", seeded["home_url"], ""),
            ("home_user", "Home page (con accesso)", seeded["home_url"], signed_in),
            ("action", "Pagina dell'azione", seeded["action_url"], ""),
            ("action_user", "Pagina dell'azione (con accesso)", seeded["action_url"], signed_in),
            ("list_1k", "Consultazione, 1.000 proposte", cons["list1k"]["url"], ""),
            (
                "list_1k_user",
                "Consultazione, 1.000 (con accesso)",
                cons["list1k"]["url"],
                signed_in,
            ),
            ("list_10k", "Consultazione, 10.000 proposte", cons["list10k"]["url"], ""),
            (
                "list_10k_user",
                "Consultazione, 10.000 (con accesso)",
                cons["list10k"]["url"],
                signed_in,
            ),
            (
                "detail_200",
                "Proposta con 200 commenti",
                f"/proposte/{cons['list1k']['detail_id']}/",
                "",
            ),
        ]
        best = max(servers, key=lambda item: item["rps"])
        rows = [
            {
                **best,
                "key": "limit",
                "label": f"Limite: vista essenziale ({best['server']})",
                "path": "/__bench/bare/",
                "queries": 0,
            }
        ]
        for key, label, path, cookie in pages:
            benchkit.count_queries(base + path, cookie)  # warm caches and templates
            queries = benchkit.count_queries(base + path, cookie)
            result = wrk_run(
                base, path, connections=CONNECTIONS, lua=get_lua(path, cookie), label=key
            )
            result.update(key=key, label=label, path=path, queries=queries)
            rows.append(result)

        # Vote cast: authenticated htmx POSTs (the quick path, else the view), 50 clients. First
        # a warm-up: other people support the same proposals for a few seconds, as on a live
        # consultation whose proposals being voted on are known to the running server (its
        # threads started, the facts and people in hand); then the measured run, whose
        # (person, proposal) pairs are all new.
        vote = cons["vote"]
        people = [u["session"] for u in seeded["users"]]
        sessions, warm_sessions = people[:-WARM_VOTERS], people[-WARM_VOTERS:]
        spare = vote["proposal_ids"][-1]  # kept out of the load for the query count
        proposals = vote["proposal_ids"][:-1]

        def vote_lua(who) -> str:
            return (
                f"THREADS = {THREADS}\nSESSIONS = {{{','.join(json.dumps(s) for s in who)}}}\n"
                f"PROPOSALS = {{{','.join(str(p) for p in proposals)}}}\n"
                + LUA_VOTE.replace("@CSRF@", CSRF_SECRET)
            )

        wrk_run(
            base,
            "/",
            connections=VOTE_CONNECTIONS,
            lua=vote_lua(warm_sessions),
            label="warm",
            seconds=WARM_SECONDS,
        )
        before = vote_count(db, vote["id"])
        result = wrk_run(
            base, "/", connections=VOTE_CONNECTIONS, lua=vote_lua(sessions), label="vote"
        )
        accepted = vote_count(db, vote["id"]) - before
        result.update(
            key="vote",
            label="Voto (autenticato, 50 client)",
            path="POST /proposte/<id>/sostegno/",
            queries=post_query_count(base, f"/proposte/{spare}/sostegno/", sessions[0]),
            votes_stored=accepted,
            votes_per_s=round(accepted / result["seconds"], 1) if result["seconds"] else 0.0,
            pairs_available=len(sessions) * len(proposals),
        )
        rows.append(result)
        peak_rss = server.peak_rss_mib()
        load_after = os.getloadavg()
        server.stop()
        server = None

        redis_args = ["--redis", os.environ["REDIS_URL"]] if redis else []
        if os.environ.get("BENCH_ONLY_HTTP"):  # a quick run: the HTTP rows only
            ws = selection = {"available": False, "note": "BENCH_ONLY_HTTP set"}
        else:
            ws = run_script(
                "bench_ws.py",
                dict(os.environ),
                ["--clients", "1000", "--votes", "30", *redis_args],
            )
            selection = run_script("bench_selection.py", dict(os.environ), ["--db"])
        for row in rows:
            rate = row.get("votes_per_s", row["rps"])
            row["ratio_to_limit"] = round(rate / limit_rps, 3) if limit_rps else None
            row["target"] = target_for(row["key"])
        report = {
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "kernel": platform.release(),
                # Other work on the machine skews every figure: the 1-minute load average
                # before seeding and after the last wrk run says how much.
                "load_average_before": round(load_before[0], 2),
                "load_average_after": round(load_after[0], 2),
                "cpu_calibration_ms": calibration,
            },
            "database": db.description,
            "database_kind": db.kind,
            "redis": redis,
            "server": f"{PRODUCTION_SERVER}, {workers} worker(s), 127.0.0.1",
            "servers": servers,
            "load": {
                "tool": "wrk (Debian)",
                "threads": THREADS,
                "connections": CONNECTIONS,
                "vote_connections": VOTE_CONNECTIONS,
                "seconds_per_run": SECONDS,
                "max_requests_per_run": MAX_REQUESTS,
            },
            "limit_rps": limit_rps,
            "rows": rows,
            "peak_rss_mib": peak_rss,
            "live_fanout": ws,
            "selection_ranking": selection,
        }
        out_dir = ROOT / "bench-results"
        out_dir.mkdir(exist_ok=True)
        (out_dir / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
        print_table(report)
    finally:
        if server is not None:
            server.stop()
        db.cleanup()


def print_table(report: dict) -> None:
    print()
    machine = report["machine"]
    print(
        f"PSM Giovani bench — {report['when']} — {machine['cpus']} CPU, load average "
        f"{machine['load_average_before']} before / {machine['load_average_after']} after, "
        f"CPU calibration {machine.get('cpu_calibration_ms', '-')} ms (a fixed Python loop; "
        "lower is faster)"
    )
    print(f"database: {report['database']}; server: {report['server']}")
    print(
        f"load: wrk, {report['load']['threads']} threads, {report['load']['connections']} "
        f"connections (votes: {report['load']['vote_connections']}), "
        f"≤{report['load']['seconds_per_run']}s and ≤{report['load']['max_requests_per_run']} "
        "requests per run"
    )
    servers = report.get("servers") or []
    if servers:
        best = max(item["rps"] for item in servers)
        print("HTTP servers, bare Django view (the limit is the best):")
        for item in servers:
            print(
                f"  {item['server']:10} {item['rps']:>8.1f} req/s  p50 {item['p50_ms']:>6.1f} ms  "
                f"p95 {item['p95_ms']:>6.1f} ms  × best {item['rps'] / best:.3f}  "
                f"RSS {item['peak_rss_mib']:.1f} MiB  errors {sum(item['errors'].values())}"
            )
    header = f"{'':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'× limit':>8} {'target':>8} {'errors':>7}"
    print(header)
    print("-" * len(header))
    for row in report["rows"]:
        errors = sum(row["errors"].values())
        rate = row.get("votes_per_s", row["rps"])
        queries = "-" if row["queries"] is None else str(row["queries"])
        ratio = "-" if row["ratio_to_limit"] is None else f"{row['ratio_to_limit']:.3f}"
        print(
            f"{row['label']:34} {rate:>8.1f} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{queries:>8} {ratio:>8} {row.get('target', ''):>8} {errors:>7}"
        )
        if row["key"] == "vote":
            print(
                f"{'':34} (votes/s stored; {row['rps']:.1f} POST/s, {row['votes_stored']} votes "
                f"stored of {row['pairs_available']} possible, after a {WARM_SECONDS} s warm-up by "
                f"{WARM_VOTERS} other people on the same proposals; queries: the view's, for the same support sent with X-Bench-Count-"
                "Queries; the quick path asks none of its own on a hit, and shares one "
                "statement per batch)"
            )
    by_key = {row["key"]: row for row in report["rows"]}
    for small, large in (("list_1k", "list_10k"), ("list_1k_user", "list_10k_user")):
        if small in by_key and large in by_key and by_key[small]["rps"]:
            print(
                f"{'':34} {large} / {small}: {by_key[large]['rps'] / by_key[small]['rps']:.3f}"
                " (target ≥ 0.900)"
            )
    print(f"{'Picco RSS di un worker web':34} {report['peak_rss_mib']:.1f} MiB (VmHWM)")
    for key, label in (
        ("live_fanout", "Aggiornamenti live (fan-out)"),
        ("selection_ranking", "Graduatoria selezione"),
    ):
        item = report[key]
        if not item.get("available"):
            print(f"{label:34} not available ({item['note']})")
        else:
            status = "ok" if item.get("ok") else "FAILED"
            print(f"{label:34} {status} in {item.get('seconds', '-')}s ({item['command']}):")
            shown = [line for line in item["output"] if " ms" in line] or [item["summary"]]
            for line in shown:
                print(f"{'':36}{line.strip()}")
    print()
    print("JSON: bench-results/bench.json")


if __name__ == "__main__":
    main()
