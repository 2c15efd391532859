"""``make bench``: the platform's throughput against the limit of its own server.

Prepares an isolated database (PostgreSQL database ``psm_bench`` on the server of DATABASE_URL,
else a temporary SQLite file), seeds it, starts the real ASGI server (uvicorn; one worker per
core when REDIS_URL is set, else one), drives it with wrk on 127.0.0.1 (each run bounded in
seconds and in requests) and prints one table, also written to bench-results/bench.json.

Environment: BENCH_SECONDS (default 10), BENCH_MAX_REQUESTS (default 50000 per run),
BENCH_CONNECTIONS (default 20), BENCH_PORT (default 8771), BENCH_WORKERS (override).
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

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "50000"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "20"))
VOTE_CONNECTIONS = 50
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
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "")
end
"""


def wrk_run(base: str, path: str, *, connections: int, lua: str, label: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(lua + LUA_COMMON)
        script = handle.name
    env = dict(os.environ, BENCH_THREAD_MAX=str(max(MAX_REQUESTS // THREADS, 1)))
    cmd = [
        WRK,
        f"-t{THREADS}",
        f"-c{connections}",
        f"-d{SECONDS}s",
        "--timeout",
        "10s",
        "-s",
        script,
        base + path,
    ]
    log(f"wrk {label}: {connections} connections, ≤{SECONDS}s, ≤{MAX_REQUESTS} requests")
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
    db = benchkit.prepare_database("psm_bench")
    log(f"database: {db.description}")
    env = benchkit.django_env(db, BENCH_BARE_VIEW="1")
    server = None
    try:
        started = time.monotonic()
        benchkit.migrate_and_load(env)
        spec = {
            "users": 100,
            "sessions": 100,
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
        server = benchkit.start_server(env, port=port, workers=workers)
        base = server.base
        cons = seeded["consultations"]
        pages = [
            ("limit", "Limite: vista Django essenziale", "/__bench/bare/"),
            ("home", "Home page", seeded["home_url"]),
            ("action", "Pagina dell'azione", seeded["action_url"]),
            ("list_1k", "Elenco proposte (1.000)", cons["list1k"]["url"]),
            ("list_10k", "Elenco proposte (10.000)", cons["list10k"]["url"]),
            (
                "detail_200",
                "Proposta con 200 commenti",
                f"/proposte/{cons['list1k']['detail_id']}/",
            ),
        ]
        rows = []
        limit_rps = None
        for key, label, path in pages:
            benchkit.count_queries(base + path)  # warm caches and templates
            queries = benchkit.count_queries(base + path)
            result = wrk_run(base, path, connections=CONNECTIONS, lua=get_lua(path), label=key)
            if key == "limit":
                limit_rps = result["rps"]
            result.update(key=key, label=label, path=path, queries=queries)
            rows.append(result)

        # Vote cast: authenticated POSTs through the real view and service, 50 clients.
        vote = cons["vote"]
        sessions = [u["session"] for u in seeded["users"]]
        spare = vote["proposal_ids"][-1]  # kept out of the load for the query count
        proposals = vote["proposal_ids"][:-1]
        lua = (
            f"THREADS = {THREADS}\nSESSIONS = {{{','.join(json.dumps(s) for s in sessions)}}}\n"
            f"PROPOSALS = {{{','.join(str(p) for p in proposals)}}}\n"
            + LUA_VOTE.replace("@CSRF@", CSRF_SECRET)
        )
        before = vote_count(db, vote["id"])
        result = wrk_run(base, "/", connections=VOTE_CONNECTIONS, lua=lua, label="vote")
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
        ws = run_script(
            "bench_ws.py", dict(os.environ), ["--clients", "1000", "--votes", "30", *redis_args]
        )
        selection = run_script("bench_selection.py", dict(os.environ), ["--db"])
        for row in rows:
            rate = row.get("votes_per_s", row["rps"])
            row["ratio_to_limit"] = round(rate / limit_rps, 3) if limit_rps else None
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
            "server": f"uvicorn, {workers} worker(s), 127.0.0.1",
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
    header = f"{'':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'× limit':>8} {'errors':>7}"
    print(header)
    print("-" * len(header))
    for row in report["rows"]:
        errors = sum(row["errors"].values())
        rate = row.get("votes_per_s", row["rps"])
        queries = "-" if row["queries"] is None else str(row["queries"])
        ratio = "-" if row["ratio_to_limit"] is None else f"{row['ratio_to_limit']:.3f}"
        print(
            f"{row['label']:34} {rate:>8.1f} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{queries:>8} {ratio:>8} {errors:>7}"
        )
        if row["key"] == "vote":
            print(
                f"{'':34} (votes/s stored; {row['rps']:.1f} POST/s, {row['votes_stored']} votes "
                f"stored of {row['pairs_available']} possible)"
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
