"""``make drills``: reliability drills, one line each; exit status 1 only on a real fault.

    .venv/bin/python scripts/drills/run.py                  # every drill
    .venv/bin/python scripts/drills/run.py redis votes      # some of them (by name prefix)

Drills: headers, access, bad-input (pytest parts in tests/drills/), redis-outage,
worker-outage (a real Celery worker stopped and killed while e-mails are queued, an SMTP sink
in scripts/drills/smtp_sink.py), vote-integrity, db-restart (real uvicorn servers on
127.0.0.1, private Redis and PostgreSQL instances). What each one proves: docs/reliability.md.
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
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import benchkit  # noqa: E402
from benchkit import PY, ROOT, log  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402

CSRF_SECRET = "drilldrilldrilldrilldrilldrill12"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
MIN_GENERATED_CASES = 10_000  # issue 6: at least this many generated bad-input cases in all


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
        self.body = b""  # the last response's body

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
                self.body = response.read()
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
    return Result(
        "headers",
        ok and deploy_ok,
        f"public pages, applicants', reviewers' and facilitators' pages, the admin's policy, "
        f"our templates: {summary}; {deploy}",
    )


def drill_access() -> Result:
    """Every URL pattern × every role × GET and POST; the test writes one JSON line per role
    and method (requests, HTML pages whose headers it checked) to ``ACCESS_STATS``."""
    handle, stats_name = tempfile.mkstemp(prefix="psm-drill-access-", suffix=".jsonl")
    os.close(handle)
    stats = Path(stats_name)
    os.environ["ACCESS_STATS"] = stats_name
    try:
        ok, summary = run_pytest("tests/drills/test_access.py")
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


def drill_bad_input() -> Result:
    """Hypothesis and schemathesis cases (counted by tests/drills/conftest.py), upload attacks,
    XSS corpus: the figures come from the pytest run's own summary lines."""
    paths = sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "tests/drills").glob("test_bad_input*.py")
    )
    out = subprocess.run(  # noqa: S603 - our own test suite
        [PY, "-m", "pytest", "-q", "-p", "no:randomly", *paths, "tests/drills/test_api_schema.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    lines = [line.strip() for line in out.stdout.splitlines() if line.strip()]

    def figure(pattern: str, default: str = "?") -> str:
        found = [m for line in lines if (m := re.search(pattern, line))]
        return found[-1].group(1) if found else default

    cases = figure(r"GENERATED CASES: (\d+)")
    split = figure(r"GENERATED CASES: \d+ \((.*)\)", "")
    operations = figure(r"API OPERATIONS: (\d+)")
    attacks = figure(r"UPLOAD ATTACKS: (\d+)")
    xss = figure(r"XSS: (\d+ fields x \d+ payloads)")
    summary = lines[-1].strip("= ") if lines else "no output"
    if out.returncode != 0:
        failures = [line for line in lines if line.startswith(("FAILED ", "ERROR tests"))]
        summary += "; " + "; ".join(failures[:5])
    if not cases.isdigit():
        return Result("bad-input", False, f"no GENERATED CASES line: {summary}")
    enough = int(cases) >= MIN_GENERATED_CASES
    line = (
        f"{int(cases):,} generated cases counted ({split}) on services, forms, HTTP and "
        f"{operations} API operations; {attacks} upload attacks; XSS {xss}: {summary}"
    )
    if not enough:
        line += f"; FAULT: fewer than the {MIN_GENERATED_CASES:,} cases the drill promises"
    return Result("bad-input", out.returncode == 0 and enough, line)


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


class LiveWatcher:
    """A browser tab on a consultation page: its socket, reconnecting as live-updates.js does.

    The script opens ``/ws/consultations/<id>/`` and, whenever the socket closes (or cannot
    open), tries again after a backoff of 1 s, 2 s, 4 s … 30 s (half of it plus jitter).
    """

    def __init__(self, port: int, consultation_id: int):
        self.url = f"ws://127.0.0.1:{port}/ws/consultations/{consultation_id}/"
        self.events: list[tuple[float, dict]] = []
        self.opened: list[float] = []
        self.connected = False
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LiveWatcher:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=10)

    def _run(self) -> None:
        rng = random.Random(7)  # noqa: S311 - jitter, as in the browser
        attempts = 0
        while not self.stop.is_set():
            opened_before = len(self.opened)
            with contextlib.suppress(Exception):  # refused, reset, closed: the "close" event
                self._listen()
            self.connected = False
            if len(self.opened) > opened_before:
                attempts = 0  # the browser resets its backoff once a socket opened
            attempts += 1
            delay = min(30.0, 2.0 ** (attempts - 1))
            self.stop.wait(delay / 2 + rng.random() * delay / 2)

    def _listen(self) -> None:
        from websockets.sync.client import connect

        with connect(self.url, origin="http://127.0.0.1", open_timeout=5, close_timeout=1) as ws:
            with self.lock:
                self.opened.append(time.monotonic())
            self.connected = True
            while not self.stop.is_set():
                try:
                    raw = ws.recv(timeout=0.5)
                except TimeoutError:
                    continue
                with self.lock:
                    self.events.append((time.monotonic(), json.loads(raw)))

    def event_for(self, proposal: int, after: float) -> float | None:
        """When the first ``proposal.totals`` event for ``proposal`` after ``after`` came."""
        with self.lock:
            for at, data in self.events:
                payload = data.get("payload") or {}
                if (
                    at >= after
                    and data.get("event") == "proposal.totals"
                    and payload.get("proposal") == proposal
                ):
                    return at
        return None

    def wait_connected(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.connected and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.connected


def _vote_seen(
    watcher: LiveWatcher, client: Client, proposal: int, wait: float
) -> tuple[float, float] | None:
    """Support ``proposal`` over HTTP: (when it was sent, when the socket relayed it), or None
    if the event did not come within ``wait`` seconds or the vote was not accepted."""
    sent = time.monotonic()
    status, headers = client.request("POST", f"/proposte/{proposal}/sostegno/")
    if status >= 500 or not any(level == 25 for level, _t in flash_messages(headers)):
        return None
    while time.monotonic() < sent + wait:
        seen = watcher.event_for(proposal, sent)
        if seen is not None:
            return sent, seen
        time.sleep(0.05)
    return None


def _live_updates_resume(
    watcher: LiveWatcher, voters: list[Client], proposal: int, back: float, bound: float
) -> tuple[float | None, int]:
    """After Redis is back: once the page's socket is open, a vote must reach it. Returns the
    seconds from Redis's return to the first vote event (None: not within ``bound``) and the
    number of votes it took."""
    tries = 0
    while voters and time.monotonic() < back + bound:
        if not watcher.wait_connected(timeout=back + bound - time.monotonic()):
            break
        tries += 1
        seen = _vote_seen(watcher, voters.pop(0), proposal, wait=5)
        if seen is not None:
            return seen[1] - back, tries
    return None, tries


def _live_figure(
    before: tuple[float, float] | None, resumed: float | None, tries: int, reopened: int
) -> str:
    first = (
        f"a vote reached the consultation socket in {before[1] - before[0]:.2f}s before the outage"
        if before
        else "FAULT: a vote before the outage never reached the consultation socket"
    )
    if resumed is None:
        return f"live updates: {first}; FAULT: no vote event within 45s after Redis was back"
    return (
        f"live updates: {first}, again {resumed:.1f}s after Redis was back ({tries} vote(s); "
        f"the socket reopened {reopened} times, with the browser's backoff)"
    )


def drill_redis_outage() -> Result:
    redis = PrivateRedis(benchkit.free_port(6391))
    db = benchkit.prepare_loaded_database("psm_drill_redis")
    server = None
    stack = contextlib.ExitStack()
    try:
        redis.start()
        env = benchkit.django_env(
            db, REDIS_URL=f"redis://127.0.0.1:{redis.port}/0", BENCH_PREFIX="psm-drill"
        )
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
                    },
                    {"key": "live", "title": "Drill Redis: aggiornamenti dal vivo", "proposals": 1},
                ],
            },
        )
        server = benchkit.start_server(env, port=benchkit.free_port(8781), workers=2)
        live = seeded["consultations"]["live"]
        live_proposal = live["proposal_ids"][0]
        voters = [Client(server.port, u["session"]) for u in seeded["users"][-40:]]
        watcher = stack.enter_context(LiveWatcher(server.port, live["id"]))
        watcher.wait_connected(timeout=15)
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
        started = time.monotonic()
        seen_before = _vote_seen(watcher, voters.pop(0), live_proposal, wait=5)
        time.sleep(max(0.0, started + 6 - time.monotonic()))
        log("stopping the private Redis during traffic")
        redis.stop()
        phase["name"] = "outage"
        time.sleep(2)
        health_status, _ = Client(server.port).request("GET", "/healthz")
        time.sleep(10)
        log("starting the private Redis again")
        redis.start()
        phase["name"] = "after"
        back = time.monotonic()
        resumed, tries = _live_updates_resume(watcher, voters, live_proposal, back, bound=45)
        time.sleep(max(0.0, back + 6 - time.monotonic()))
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        errors = sum(t.server_errors() for t in tallies.values())
        during = tallies["outage"]
        by_kind = Counter()
        for (kind, _status), n in during.statuses.items():
            by_kind[kind] += n
        live_ok = seen_before is not None and resumed is not None
        ok = errors == 0 and during.votes_accepted > 0 and during.comments_accepted > 0 and live_ok
        line = (
            f"{errors} server errors in {sum(t.total() for t in tallies.values())} requests; "
            f"while Redis was down: {by_kind['page']} pages, {by_kind['vote']} votes "
            f"({during.votes_accepted} accepted), {by_kind['comment']} comments "
            f"({during.comments_accepted} accepted); /healthz said {health_status} while down; "
            + _live_figure(seen_before, resumed, tries, len(watcher.opened) - 1)
        )
        if errors:
            samples = [e for t in tallies.values() for e in t.errors][:3]
            line += f"; first errors: {samples}; server log: {server.log_path}"
        return Result("redis-outage", ok, line)
    finally:
        stack.close()
        if server is not None:
            server.stop()
        redis.cleanup()
        db.cleanup()


# --------------------------------------------------------------------------- Celery worker
class CeleryWorker:
    """``celery -A config worker`` as production runs it (prefork, acks_late), on the drill's
    broker; started in its own session so it is stopped by its own process id."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.process: subprocess.Popen | None = None
        self.log_path = ""

    def start(self, timeout: float = 90) -> None:
        self.launch()
        self.wait_ready(timeout)

    def launch(self) -> None:
        log_file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - the worker writes to it
            prefix="psm-drill-celery-", suffix=".log", delete=False
        )
        self.log_path = log_file.name
        cmd = [
            str(ROOT / ".venv" / "bin" / "celery"),
            "--workdir",
            "site",
            "-A",
            "config",
            "worker",
            "--loglevel",
            "info",
            "--pool",
            "prefork",
            "--concurrency",
            "2",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname",
            "psm-drill@%h",
        ]
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command
            cmd,
            env=self.env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"celery worker exited early; see {self.log_path}")
            if " ready." in self.log_text():
                return
            time.sleep(0.3)
        raise SystemExit(f"celery worker not ready within {timeout}s; see {self.log_path}")

    def log_text(self) -> str:
        return Path(self.log_path).read_text(errors="replace") if self.log_path else ""

    def pool(self) -> list[int]:
        """The pool's child processes (the ones that run tasks)."""
        if self.process is None:
            return []
        pids: list[int] = []
        for task in Path(f"/proc/{self.process.pid}/task").glob("*"):
            with contextlib.suppress(OSError):
                pids += [int(p) for p in (task / "children").read_text().split()]
        return pids

    def kill_pool(self) -> int:
        """SIGKILL every pool process, as the kernel's OOM killer would: returns how many."""
        pids = self.pool()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return len(pids)

    def terminate(self, timeout: float = 60) -> bool:
        """SIGTERM (warm shutdown: running tasks finish, the rest go back to the broker)."""
        if self.process is None or self.process.poll() is not None:
            return True
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    def kill(self) -> None:
        """SIGKILL the whole worker (its own session, started above): no warm shutdown."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    cleanup = kill


class Replies:
    """Replies to comments over HTTP, each by a different person: each reply e-mails the author
    of the comment it answers (``notify_comment_reply`` → ``send_email_delivery``)."""

    def __init__(self, port: int, consultation: dict, users: list[dict]):
        self.port = port
        self.proposal = consultation["detail_id"]
        self.threads = consultation["threads"]
        self.users = list(users)
        self.accepted = 0
        self.refused: list[str] = []

    def post(self, count: int) -> None:
        for _ in range(count):
            thread = self.threads[(self.accepted + len(self.refused)) % len(self.threads)]
            user = next(u for u in self.users if u["id"] != thread["author_id"])
            self.users.remove(user)
            body = urlencode({"body": f"Risposta di prova {user['id']}", "parent": thread["id"]})
            client = Client(self.port, user["session"])
            status, headers = client.request("POST", f"/proposte/{self.proposal}/commenti/", body)
            if any(level == 25 for level, _t in flash_messages(headers)):
                self.accepted += 1
            else:
                self.refused.append(f"{status} {flash_messages(headers)}")


def _sql(db: benchkit.Database, query: str) -> list[tuple]:
    if db.kind == "postgresql":
        import psycopg

        with psycopg.connect(db.url.replace("postgres://", "postgresql://", 1)) as conn:
            return conn.execute(query).fetchall()
    import sqlite3

    with contextlib.closing(sqlite3.connect(db.url.removeprefix("sqlite:///"))) as conn:
        return conn.execute(query).fetchall()


def _deliveries(db: benchkit.Database) -> dict[str, str]:
    """Every EmailDelivery: idempotency key (the X-PSM-Delivery header) → status."""
    return dict(_sql(db, "SELECT idempotency_key, status FROM notifications_emaildelivery"))


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def _broker_backlog(redis: PrivateRedis, queue: str) -> int:
    out = subprocess.run(  # noqa: S603 - our own private instance
        ["/usr/bin/redis-cli", "-p", str(redis.port), "llen", queue],
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip() or 0)


def _unacked(redis: PrivateRedis, age_by: float = 0) -> int:
    """Messages a killed worker had taken (kombu's ``unacked`` set on Redis). With ``age_by``,
    make them look that many seconds older: kombu hands them out again only once they are older
    than the visibility timeout (30 minutes in the settings), so the drill moves the clock, not
    waits."""
    import redis as redis_client

    client = redis_client.Redis(host="127.0.0.1", port=redis.port)
    try:
        if age_by:
            for tag, score in client.zrange("unacked_index", 0, -1, withscores=True):
                client.zadd("unacked_index", {tag: score - age_by})
        return int(client.hlen("unacked"))
    finally:
        client.close()


def drill_worker_outage() -> Result:
    if not os.environ.get("DATABASE_URL"):
        # On SQLite a task sending an e-mail holds the single write lock while it talks to the
        # mail server, so the replies posted meanwhile time out: not a setup production uses.
        return Result("worker-outage", None, "skipped: needs PostgreSQL (set DATABASE_URL)")
    redis = PrivateRedis(benchkit.free_port(6395))
    db = benchkit.prepare_loaded_database("psm_drill_worker")
    sink = SmtpSink()
    server = worker = None
    try:
        sink.__enter__()
        redis.start()
        env = benchkit.django_env(
            db,
            REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
            BENCH_PREFIX="psm-drill",
            DJANGO_SETTINGS_MODULE="psm_drill_settings",
            EMAIL_URL=sink.url,
            PYTHONPATH=os.pathsep.join(str(ROOT / d) for d in ("scripts/drills", "site", ".")),
        )
        seeded = benchkit.seed(
            env,
            {
                "users": 60,
                "sessions": 60,
                "email_prefix": "workerdrill",
                "consultations": [
                    {"key": "mail", "title": "Drill e-mail", "proposals": 3, "detail_comments": 16}
                ],
            },
        )
        worker = CeleryWorker(env)
        worker.launch()  # boots while uvicorn does
        server = benchkit.start_server(env, port=benchkit.free_port(8793), workers=1)
        worker.wait_ready()
        log("worker ready: e-mails while it runs, then SIGKILL of its pool mid-batch")
        replies = Replies(server.port, seeded["consultations"]["mail"], seeded["users"])

        def all_arrived() -> bool:
            return sink.count() >= replies.accepted

        # 1. the worker runs: e-mails arrive
        replies.post(8)
        running_ok = _wait_for(all_arrived, 45)
        # 2. SIGKILL of the pool while deliveries are under way (the SMTP sink holds them just
        # before the message is sent): acks_late + reject_on_worker_lost must deliver them again
        sink.hold()
        replies.post(6)
        held = _wait_for(lambda: sink.held >= 1, 30)
        time.sleep(0.5)
        in_flight = sink.held
        killed = worker.kill_pool()
        time.sleep(1)
        sink.release()
        redelivered_ok = _wait_for(all_arrived, 45)
        lost = sum(
            1
            for line in worker.log_text().splitlines()
            if "raised error" in line and "WorkerLostError" in line
        )
        # 3. SIGKILL of the whole worker mid-batch: what it had taken waits in Redis for the
        # visibility timeout; a restarted worker then takes it again
        log("SIGKILL of the whole worker mid-batch, restart")
        sink.hold()
        replies.post(4)
        held_again = _wait_for(lambda: sink.held >= 1, 30)
        time.sleep(0.5)
        in_flight_all = sink.held
        worker.kill()
        sink.release()
        parked = _unacked(redis)
        _unacked(redis, age_by=3700)
        worker.start()
        recovered_ok = _wait_for(all_arrived, 45)
        # 4. SIGTERM with a batch just queued; more replies while no worker runs
        log("SIGTERM to the worker; e-mails while it is down")
        replies.post(6)
        stopped_cleanly = worker.terminate()
        at_stop = sink.count()
        replies.post(8)
        time.sleep(5)
        arrived_while_down = sink.count() - at_stop
        rows = _deliveries(db)
        sent_rows = sorted(k for k, status in rows.items() if status == "sent")
        arrived_keys = sorted(m.delivery for m in sink.snapshot())
        rows_consistent = sent_rows == arrived_keys  # not-arrived rows are all still pending
        pending_while_down = sum(1 for status in rows.values() if status == "pending")
        backlog = _broker_backlog(redis, "psm-drill")
        queued_while_down = replies.accepted - sink.count()
        # 5. restart: everything queued goes out, once
        log("starting the worker again")
        restarted = time.monotonic()
        worker.start()
        drained = _wait_for(
            lambda: (
                all_arrived()
                and all(s == "sent" for s in _deliveries(db).values())
                and len(_deliveries(db)) >= replies.accepted
            ),
            60,
        )
        time.sleep(3)  # room for a duplicate to show up
        received = sink.snapshot()
        last = max((m.at for m in received), default=restarted)
        after_restart = sum(1 for m in received if m.at >= restarted)
        rows = _deliveries(db)
        per_key = Counter(m.delivery for m in received)
        duplicates = sum(n - 1 for n in per_key.values() if n > 1)
        missing = len(set(rows) - set(per_key)) + max(0, replies.accepted - len(rows))
        strays = len(set(per_key) - set(rows))
        unsent = sum(1 for status in rows.values() if status != "sent")
        ok = (
            not replies.refused
            and running_ok
            and held
            and killed > 0
            and redelivered_ok
            and held_again
            and parked > 0
            and recovered_ok
            and stopped_cleanly
            and arrived_while_down == 0
            and rows_consistent
            and drained
            and duplicates == 0
            and missing == 0
            and strays == 0
            and unsent == 0
        )
        line = (
            f"{replies.accepted} e-mails (comment replies over HTTP) through a real Celery "
            f"worker to an SMTP sink: SIGKILL of the pool with {in_flight} deliveries in flight "
            f"({lost} tasks reported lost by the worker, "
            f"{'all delivered again' if redelivered_ok else 'FAULT: not delivered again'}); "
            f"SIGKILL of the whole worker with {in_flight_all} in flight: {parked} tasks left "
            f"in Redis until the visibility timeout (30 min, settings), "
            f"{'all delivered once that passed' if recovered_ok else 'FAULT: not delivered'}; "
            f"SIGTERM, then {queued_while_down} e-mails queued while down ({arrived_while_down} "
            f"arrived, {pending_while_down} EmailDelivery rows pending, {backlog} tasks in the "
            f"broker); {after_restart} delivered after restart in {max(0, last - restarted):.1f}s; "
            f"{duplicates} duplicates, {missing} missing, {unsent} not marked sent"
        )
        if replies.refused:
            line += f"; replies refused: {replies.refused[:3]}"
        if not ok:
            line += f"; worker log: {worker.log_path}; server log: {server.log_path}"
        return Result("worker-outage", ok, line)
    finally:
        if worker is not None:
            worker.cleanup()
        if server is not None:
            server.stop()
        sink.__exit__(None, None, None)
        redis.cleanup()
        db.cleanup()


# --------------------------------------------------------------------------- votes
def drill_vote_integrity() -> Result:
    if not os.environ.get("DATABASE_URL"):
        return Result("vote-integrity", None, "skipped: needs PostgreSQL (set DATABASE_URL)")
    voters = int(os.environ.get("DRILL_VOTERS", "500"))
    per_voter = int(os.environ.get("DRILL_VOTES_EACH", "20"))
    # All 10,000 attempts by default: about 50 a second on a 2-core machine, 20 on a slow one.
    budget = float(os.environ.get("DRILL_VOTE_SECONDS", "900"))
    max_supports = 10
    db = benchkit.prepare_loaded_database("psm_drill_votes")
    server = None
    try:
        env = benchkit.django_env(db, BENCH_PREFIX="psm-drill")
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


class _FormValues(HTMLParser):
    """The values a browser would show in the form ``#<form_id>``: text inputs, checked radios,
    selected options and textareas (one leading newline dropped, as HTML does)."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        kind = a.get("type", "text")
        if tag == "input" and kind in ("radio", "checkbox"):
            if "checked" in a:
                self.values[a["name"]] = a.get("value", "on")
        elif tag == "input" and kind not in ("submit", "hidden", "button", "file"):
            self.values[a.get("name", "")] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name", "")
            self.values[self._textarea] = ""
        elif tag == "select":
            self._select = a.get("name", "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            value = self.values[self._textarea]
            self.values[self._textarea] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self.inside and self._textarea is not None:
            self.values[self._textarea] += data


def _draft_answers(call: dict) -> dict[str, str]:
    """What the candidate types: accents, quotes, markup-like text, line breaks, an emoji."""
    values = {"category": call["categories"][-1]}
    for question in call["questions"]:
        if question["kind"] == "choice":
            values[question["field"]] = question["choices"][1]
        elif question["kind"] == "long":
            values[question["field"]] = (
                "Perché credo nella città metropolitana: «più giusta» & <più> vicina.\r\n"
                'Seconda riga — con l\'apostrofo, "virgolette" e 🌱.\r\n\r\nFine.'
            )
        else:
            values[question["field"]] = "Studio ingegneria a Torino (3° anno) & lavoro part-time"
    return values


def _draft_save(client: Client, call: dict) -> tuple[int | None, dict[str, str], str]:
    """Start an application and autosave a draft over HTTP, as the page's script does."""
    apply_path = f"/programma/bandi/{call['id']}/candidatura/"
    client.request("POST", apply_path)  # "Inizia la candidatura": creates the draft
    status, _headers = client.request("GET", apply_path)
    found = re.search(rb"/programma/candidature/(\d+)/bozza/", client.body)
    values = _draft_answers(call)
    if status != 200 or not found:
        return None, values, f"apply page answered {status} without an autosave address"
    application = int(found.group(1))
    status, _headers = client.request(
        "POST", f"/programma/candidature/{application}/bozza/", urlencode(values)
    )
    saved = status == 200 and json.loads(client.body or b"{}").get("ok") is True
    return application, values, "" if saved else f"autosave answered {status}"


def _draft_over_http(client: Client, call: dict) -> dict[str, str]:
    status, _headers = client.request("GET", f"/programma/bandi/{call['id']}/candidatura/")
    parser = _FormValues("application-form")
    parser.feed(client.body.decode() if status == 200 else "")
    return parser.values


def _draft_in_database(url: str, application: int) -> dict[str, str]:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        row = conn.execute(
            "SELECT category, answers, status FROM leadership_application WHERE id = %s",
            (application,),
        ).fetchone()
    if row is None:
        return {}
    category, answers, status = row
    return {"category": category, **answers, "status": status}


def _draft_differences(expected: dict[str, str], got: dict[str, str]) -> list[str]:
    return [name for name, value in expected.items() if got.get(name) != value]


def _draft_after_restart(
    client: Client,
    call: dict,
    url: str,
    application: int | None,
    draft: dict[str, str],
    error: str,
) -> tuple[bool, str]:
    """Read the draft saved before the restart back over HTTP and from the database."""
    if application is None or error:
        return False, f"FAULT: the leadership draft could not be saved before the restart ({error})"
    over_http = _draft_differences(draft, _draft_over_http(client, call))
    stored = _draft_in_database(url, application)
    in_db = _draft_differences(draft, stored)
    if stored.get("status") != "draft":
        in_db.append(f"status={stored.get('status')}")
    if over_http or in_db:
        return False, (
            f"FAULT: leadership draft changed after the restart (over HTTP: {over_http or 'ok'}; "
            f"in the database: {in_db or 'ok'})"
        )
    return True, (
        f"leadership application draft saved before the restart read back intact over HTTP "
        f"and from the database ({len(draft)} fields compared exactly)"
    )


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
                "sessions": 1,
                "leadership_call": True,
                "consultations": [
                    {"key": "restart", "title": "Drill DB", "proposals": 20, "detail_comments": 5}
                ],
            },
        )
        server = benchkit.start_server(env, port=benchkit.free_port(8789), workers=1)
        call = seeded["leadership_call"]
        candidate = Client(server.port, seeded["users"][0]["session"])
        application, draft, draft_error = _draft_save(candidate, call)
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
        draft_check = _draft_after_restart(candidate, call, db.url, application, draft, draft_error)
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
            and draft_check[0]
        )
        line = (
            f"PostgreSQL down for {back - began:.1f}s (pg_ctl restart -m fast): "
            f"{len(failures)} failed requests, all answers 200 again {recovered_after:.1f}s "
            f"after it was back; {len(samples)} requests in all; {draft_check[1]}"
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
    "worker-outage": drill_worker_outage,
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
