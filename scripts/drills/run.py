"""``make drills``: reliability drills, one line each; exit status 1 only on a real fault.

    .venv/bin/python scripts/drills/run.py                  # every drill
    .venv/bin/python scripts/drills/run.py redis votes      # some of them (by name prefix)

Drills: headers, access, bad-input (pytest parts in tests/drills/), redis-outage,
vote-integrity, db-restart (real uvicorn servers on 127.0.0.1, private Redis and PostgreSQL
instances). What each one proves: docs/reliability.md.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import benchkit  # noqa: E402
from benchkit import PY, ROOT, log  # noqa: E402

CSRF_SECRET = "drilldrilldrilldrilldrilldrill12"
PG_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass
class Result:
    name: str
    ok: bool | None  # None: skipped
    line: str


# --------------------------------------------------------------------------- HTTP
class Client:
    """A keep-alive HTTP/1.1 client for one thread; never follows redirects."""

    def __init__(self, port: int, session: str | None = None):
        self.port = port
        self.session = session
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: str = "") -> tuple[int, dict[str, str]]:
        headers = {"Host": "127.0.0.1"}
        if self.session:
            headers["Cookie"] = f"sessionid={self.session}; csrftoken={CSRF_SECRET}"
            headers["X-CSRFToken"] = CSRF_SECRET
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body.encode(), headers=headers)
                response = self.conn.getresponse()
                response.read()
                result = {k.lower(): v for k, v in response.getheaders()}
                result["set-cookie-all"] = "\n".join(response.headers.get_all("Set-Cookie") or [])
                return response.status, result
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def flash_messages(headers: dict[str, str]) -> list[tuple[int, str]]:
    """The (level, text) messages the response stored in Django's ``messages`` cookie."""
    match = re.search(r"messages=(\"?)([^;\n]*)\1", headers.get("set-cookie-all", ""))
    if not match or not match.group(2):
        return []
    value = match.group(2).encode().decode("unicode_escape")
    payload = value.rsplit(":", 2)[0]
    compressed = payload.startswith(".")
    raw = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
    if compressed:
        raw = zlib.decompress(raw)
    data = json.loads(raw.decode())
    return [(item[2], item[3]) for item in data if isinstance(item, list) and len(item) >= 4]


def run_pytest(*paths: str) -> tuple[bool, str]:
    out = subprocess.run(  # noqa: S603 - our own test suite
        [PY, "-m", "pytest", "-q", "-p", "no:randomly", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    summary = lines[-1].strip("= ") if lines else "no output"
    if out.returncode != 0:
        failures = [line for line in lines if line.startswith(("FAILED ", "ERROR tests"))]
        summary += "; " + "; ".join(failures[:5])
    return out.returncode == 0, summary


# --------------------------------------------------------------------------- pytest drills
def drill_headers() -> Result:
    ok, summary = run_pytest("tests/drills/test_headers.py")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k7#Qz!v9Lp2@Xw4$Rt6^Yb8&Nm1*Hc3(Jd5)Fg0-Sa+Ue=Oi~Pk;Wl:Zx,Cv.Bn/Mq-drills",
        DATABASE_URL="postgres://u:p@db.example:5432/psm",
        REDIS_URL="redis://cache.example:6379/1",
        ALLOWED_HOSTS="psm.example.org",
    )
    check = subprocess.run(  # noqa: S603 - manage.py check
        [PY, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    deploy_ok = check.returncode == 0
    deploy = "check --deploy clean" if deploy_ok else "check --deploy: " + check.stdout[-300:]
    return Result("headers", ok and deploy_ok, f"public pages: {summary}; {deploy}")


def drill_access() -> Result:
    count = subprocess.run(  # noqa: S603 - a count of URL patterns
        [
            PY,
            "-c",
            "import sys; sys.path[:0]=['site','.']; import os; "
            "os.environ['DJANGO_SETTINGS_MODULE']='config.settings.test'; import django; "
            "django.setup(); from tests.drills.test_access import all_routes; "
            "print(len(all_routes()))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ok, summary = run_pytest("tests/drills/test_access.py")
    return Result("access", ok, f"{count} URL patterns × 5 roles against the table: {summary}")


def drill_bad_input() -> Result:
    ok, summary = run_pytest("tests/drills/test_bad_input.py")
    return Result(
        "bad-input",
        ok,
        f"hypothesis 3,000 generated cases on services, forms and HTTP, 8 upload attacks, "
        f"10 XSS payloads: {summary}",
    )


# --------------------------------------------------------------------------- private Redis
class PrivateRedis:
    def __init__(self, port: int):
        self.port = port
        self.dir = tempfile.mkdtemp(prefix="psm-drill-redis-")

    def start(self) -> None:
        subprocess.run(  # noqa: S603 - a private redis-server on our own port
            [
                "/usr/bin/redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
                "--daemonize",
                "yes",
                "--pidfile",
                f"{self.dir}/redis.pid",
            ],
            check=True,
            capture_output=True,
        )
        for _ in range(50):
            if self.ping():
                return
            time.sleep(0.1)
        raise SystemExit(f"private redis on port {self.port} did not start")

    def ping(self) -> bool:
        out = subprocess.run(  # noqa: S603
            ["/usr/bin/redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
        )
        return out.stdout.strip() == "PONG"

    def stop(self) -> None:
        subprocess.run(  # noqa: S603 - only our own instance, by its port
            ["/usr/bin/redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True
        )
        for _ in range(50):
            if not self.ping():
                return
            time.sleep(0.1)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    votes_accepted: int = 0
    comments_accepted: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int | None, error: str = "") -> None:
        with self.lock:
            self.statuses[(kind, status)] += 1
            if error:
                self.errors.append(error)

    def server_errors(self) -> int:
        return sum(
            n for (_kind, status), n in self.statuses.items() if status is None or status >= 500
        )

    def total(self) -> int:
        return sum(self.statuses.values())


def _mixed_traffic(port, seeded, stop: threading.Event, phase: dict, tallies: dict, index: int):
    """One client thread: pages, votes and comments, each as a different person in turn."""
    users = seeded["users"]
    consultation = seeded["consultations"]["outage"]
    proposals = consultation["proposal_ids"]
    pages = [seeded["home_url"], consultation["url"], f"/proposte/{consultation['detail_id']}/"]
    anonymous = Client(port)
    rng = random.Random(index)  # noqa: S311 - traffic mix, not security
    step = 0
    while not stop.is_set():
        tally = tallies[phase["name"]]
        step += 1
        kind = ("page", "page", "vote", "comment")[step % 4]
        try:
            if kind == "page":
                status, _headers = anonymous.request("GET", rng.choice(pages))
                tally.add("page", status)
            else:
                user = users[(index * 7919 + step) % len(users)]
                client = Client(port, user["session"])
                proposal = rng.choice(proposals)
                if kind == "vote":
                    status, headers = client.request("POST", f"/proposte/{proposal}/sostegno/")
                    if any(level == 25 for level, _text in flash_messages(headers)):
                        with tally.lock:
                            tally.votes_accepted += 1
                else:
                    body = f"body=Commento+di+prova+{step}"
                    status, headers = client.request(
                        "POST", f"/proposte/{proposal}/commenti/", body
                    )
                    if any(level == 25 for level, _text in flash_messages(headers)):
                        with tally.lock:
                            tally.comments_accepted += 1
                tally.add(kind, status)
        except Exception as error:  # a dropped connection is a failure the drill reports
            tally.add(kind, None, f"{kind}: {type(error).__name__}: {error}")


def drill_redis_outage() -> Result:
    redis = PrivateRedis(benchkit.free_port(6391))
    db = benchkit.prepare_database("psm_drill_redis")
    server = None
    try:
        redis.start()
        env = benchkit.django_env(
            db, REDIS_URL=f"redis://127.0.0.1:{redis.port}/0", BENCH_PREFIX="psm-drill"
        )
        benchkit.migrate_and_load(env)
        seeded = benchkit.seed(
            env,
            {
                "users": 200,
                "sessions": 200,
                "email_prefix": "redisdrill",
                "consultations": [
                    {
                        "key": "outage",
                        "title": "Drill Redis",
                        "proposals": 60,
                        "detail_comments": 20,
                    }
                ],
            },
        )
        server = benchkit.start_server(env, port=benchkit.free_port(8781), workers=2)
        phases = ["before", "outage", "after"]
        tallies = {name: Tally() for name in phases}
        phase = {"name": "before"}
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=_mixed_traffic, args=(server.port, seeded, stop, phase, tallies, i)
            )
            for i in range(12)
        ]
        for thread in threads:
            thread.start()
        time.sleep(6)
        log("stopping the private Redis during traffic")
        redis.stop()
        phase["name"] = "outage"
        time.sleep(2)
        health_status, _ = Client(server.port).request("GET", "/healthz")
        time.sleep(10)
        log("starting the private Redis again")
        redis.start()
        phase["name"] = "after"
        time.sleep(6)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        errors = sum(t.server_errors() for t in tallies.values())
        during = tallies["outage"]
        by_kind = Counter()
        for (kind, _status), n in during.statuses.items():
            by_kind[kind] += n
        ok = errors == 0 and during.votes_accepted > 0 and during.comments_accepted > 0
        line = (
            f"{errors} server errors in {sum(t.total() for t in tallies.values())} requests; "
            f"while Redis was down: {by_kind['page']} pages, {by_kind['vote']} votes "
            f"({during.votes_accepted} accepted), {by_kind['comment']} comments "
            f"({during.comments_accepted} accepted); /healthz said {health_status} while down"
        )
        if errors:
            samples = [e for t in tallies.values() for e in t.errors][:3]
            line += f"; first errors: {samples}; server log: {server.log_path}"
        return Result("redis-outage", ok, line)
    finally:
        if server is not None:
            server.stop()
        redis.cleanup()
        db.cleanup()


# --------------------------------------------------------------------------- votes
def drill_vote_integrity() -> Result:
    if not os.environ.get("DATABASE_URL"):
        return Result("vote-integrity", None, "skipped: needs PostgreSQL (set DATABASE_URL)")
    voters = int(os.environ.get("DRILL_VOTERS", "500"))
    per_voter = int(os.environ.get("DRILL_VOTES_EACH", "20"))
    budget = float(os.environ.get("DRILL_VOTE_SECONDS", "120"))
    max_supports = 10
    db = benchkit.prepare_database("psm_drill_votes")
    server = None
    try:
        env = benchkit.django_env(db, BENCH_PREFIX="psm-drill")
        benchkit.migrate_and_load(env)
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
                    }
                ],
            },
        )
        workers = os.cpu_count() or 1
        server = benchkit.start_server(env, port=benchkit.free_port(8785), workers=workers)
        proposals = seeded["consultations"]["votes"]["proposal_ids"]
        rng = random.Random(42)  # noqa: S311 - a reproducible workload
        tasks = []
        for user in seeded["users"]:
            distinct = rng.sample(proposals, per_voter - per_voter // 4)
            attempts = distinct + rng.sample(distinct, per_voter // 4)  # 1 in 4: a repeat
            tasks += [(user, pid) for pid in attempts]
        rng.shuffle(tasks)  # a voter's attempts run concurrently on different threads
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
                try:
                    status, headers = client.request("POST", f"/proposte/{pid}/sostegno/")
                except Exception as error:
                    tally.add("vote", None, f"{type(error).__name__}: {error}")
                    continue
                tally.add("vote", status)
                if any(level == 25 for level, _t in flash_messages(headers)):
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
                " GROUP BY voter_id) d"
            ).fetchone()[0]
            per_voter_db = dict(
                conn.execute("SELECT voter_id, count(*) FROM proposals_vote GROUP BY voter_id")
            )
        total_accepted = sum(accepted.values())
        mismatched = sum(1 for uid, n in accepted.items() if per_voter_db.get(uid, 0) != n)
        errors = tally.server_errors()
        ok = (
            stored == total_accepted
            and duplicates == 0
            and most <= max_supports
            and mismatched == 0
            and errors == 0
        )
        scaled = (
            ""
            if attempted == len(tasks)
            else f" (scaled down by the {budget:.0f}s budget: {attempted} of {len(tasks)} sent)"
        )
        line = (
            f"{voters} voters × {per_voter} attempts{scaled} in {elapsed:.0f}s over HTTP on "
            f"PostgreSQL, {workers} workers: {total_accepted} accepted = {stored} stored, "
            f"{duplicates} duplicates, at most {most} per voter (limit {max_supports}), "
            f"{mismatched} voters whose stored votes differ from their accepted ones, "
            f"{errors} server errors ({attempted / elapsed:.0f} attempts/s)"
        )
        return Result("vote-integrity", ok, line)
    finally:
        if server is not None:
            server.stop()
        db.cleanup()


# --------------------------------------------------------------------------- PostgreSQL restart
class PrivatePostgres:
    """A throw-away PostgreSQL 15 cluster in a temporary directory, run as ``postgres``."""

    def __init__(self, port: int):
        self.port = port
        self.dir = tempfile.mkdtemp(prefix="psm-drill-pg-")
        self.data = f"{self.dir}/data"
        self.as_postgres = (
            ["/usr/sbin/runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        )
        if self.as_postgres:
            shutil.chown(self.dir, user="postgres", group="postgres")

    def _run(self, *args: str) -> None:
        subprocess.run(  # noqa: S603 - PostgreSQL's own tools on our own directory
            [*self.as_postgres, *args], check=True, capture_output=True, text=True
        )

    def start(self) -> None:
        self._run(str(PG_BIN / "initdb"), "-D", self.data, "-U", "postgres", "--auth=trust")
        self._ctl("start")

    def _ctl(self, action: str, *extra: str) -> None:
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            self.data,
            "-l",
            f"{self.dir}/postgres.log",
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1",
            "-w",
            action,
            *extra,
        )

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def cleanup(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("stop", "-m", "immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


def drill_db_restart() -> Result:
    if not (PG_BIN / "initdb").exists():
        return Result("db-restart", None, f"skipped: {PG_BIN}/initdb not installed")
    cluster = PrivatePostgres(benchkit.free_port(5433))
    server = None
    db = None
    saved = os.environ.get("DATABASE_URL")
    try:
        cluster.start()
        os.environ["DATABASE_URL"] = cluster.url
        db = benchkit.prepare_database("psm_drill_restart")
        env = benchkit.django_env(db, BENCH_PREFIX="psm-drill")
        env.pop("REDIS_URL", None)  # the drill is about the database alone
        benchkit.migrate_and_load(env)
        seeded = benchkit.seed(
            env,
            {
                "users": 5,
                "consultations": [
                    {"key": "restart", "title": "Drill DB", "proposals": 20, "detail_comments": 5}
                ],
            },
        )
        server = benchkit.start_server(env, port=benchkit.free_port(8789), workers=1)
        consultation = seeded["consultations"]["restart"]
        paths = [consultation["url"], f"/proposte/{consultation['detail_id']}/"]
        samples: list[tuple[float, int | None]] = []
        lock = threading.Lock()
        stop = threading.Event()

        def traffic(index: int):
            client = Client(server.port)
            while not stop.is_set():
                try:
                    status, _ = client.request("GET", paths[index % 2])
                except Exception:
                    status = None
                with lock:
                    samples.append((time.monotonic(), status))
                time.sleep(0.05)

        threads = [threading.Thread(target=traffic, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(4)
        began = time.monotonic()
        log("restarting the private PostgreSQL during traffic")
        cluster.restart()
        back = time.monotonic()
        time.sleep(15)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        before = [s for t, s in samples if t < began]
        failures = [t for t, s in samples if t >= began and s != 200]
        last_failure = max(failures, default=began)
        recovered_after = max(0.0, last_failure - back)
        tail = [s for t, s in samples if t > back + 5]
        ok = (
            all(s == 200 for s in before)
            and recovered_after < 5
            and bool(tail)
            and all(s == 200 for s in tail)
        )
        line = (
            f"PostgreSQL down for {back - began:.1f}s (pg_ctl restart -m fast): "
            f"{len(failures)} failed requests, all answers 200 again {recovered_after:.1f}s "
            f"after it was back; {len(samples)} requests in all"
        )
        return Result("db-restart", ok, line)
    finally:
        if server is not None:
            server.stop()
        if saved is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = saved
        cluster.cleanup()


DRILLS = {
    "headers": drill_headers,
    "access": drill_access,
    "bad-input": drill_bad_input,
    "redis-outage": drill_redis_outage,
    "vote-integrity": drill_vote_integrity,
    "db-restart": drill_db_restart,
}


def main() -> int:
    wanted = sys.argv[1:]
    names = [n for n in DRILLS if not wanted or any(n.startswith(w) for w in wanted)]
    results = []
    for name in names:
        log(f"drill {name} ...")
        started = time.monotonic()
        try:
            result = DRILLS[name]()
        except Exception as error:  # a drill that cannot run is reported, not hidden
            result = Result(name, False, f"could not run: {type(error).__name__}: {error}")
        mark = {True: "PASS", False: "FAIL", None: "SKIP"}[result.ok]
        print(
            f"{mark} {result.name} ({time.monotonic() - started:.0f}s): {result.line}", flush=True
        )
        results.append(result)
    return 1 if any(r.ok is False for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
