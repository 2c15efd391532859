"""Shared pieces of ``make bench`` and ``make drills``: an isolated database, seed data,
a real uvicorn server, sessions for logged-in clients, peak memory of the workers.

Imported by scripts/bench.py and scripts/drills/run.py; the seed data itself is made by
scripts/bench_seed.py in a child process (:func:`seed`).
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
SETTINGS = "config.settings.bench"


def log(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- database
@dataclass
class Database:
    url: str
    kind: str  # "postgresql" or "sqlite"
    description: str
    tmpdir: str | None = None

    def cleanup(self) -> None:
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)


def prepare_database(name: str) -> Database:
    """A fresh, empty database: ``name`` on the server of DATABASE_URL, else a SQLite file.

    Refuses the names the test suite and the platform use, so a benchmark never touches them.
    """
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url:
        tmpdir = tempfile.mkdtemp(prefix=f"{name}-")
        path = Path(tmpdir) / f"{name}.sqlite3"
        return Database(
            url=f"sqlite:///{path}",
            kind="sqlite",
            description=f"SQLite, temporary file {path}",
            tmpdir=tmpdir,
        )
    import psycopg

    parts = urlsplit(base_url)
    current = parts.path.lstrip("/")
    if name in {current, "test", "postgres", "template0", "template1"} or name.startswith("test"):
        raise SystemExit(f"refusing to use database {name!r} for a benchmark")
    admin = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(parts._replace(path=f"/{name}"))
    return Database(
        url=url, kind="postgresql", description=f"PostgreSQL, database {name} on {parts.hostname}"
    )


def django_env(db: Database, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=db.url,
        # A fresh cache namespace per run: the database is new each time, so cached pages and
        # version keys of an earlier run on the same Redis must not be seen.
        CACHE_KEY_PREFIX=f"{env.get('BENCH_PREFIX', 'psm-bench')}-{os.getpid()}-{int(time.time())}",
        CHANNELS_PREFIX=env.get("BENCH_PREFIX", "psm-bench"),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PY, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)  # noqa: S603


def migrate_and_load(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_territory", "-v", "0")
    manage(env, "load_psm", "-v", "0")


def prepare_loaded_database(name: str) -> Database:
    """:func:`prepare_database` with the schema, the territory and the plan already loaded.

    On PostgreSQL the loaded database is built once and kept as a template,
    ``psm_drill_tpl_<fingerprint>`` (the fingerprint covers every migration, the loaders, their
    data and the installed packages): each later copy takes a second instead of a full
    migration. A template for an older fingerprint is dropped when a new one is built.
    """
    if not os.environ.get("DATABASE_URL"):
        db = prepare_database(name)
        migrate_and_load(django_env(db))
        return db
    import psycopg

    template = f"psm_drill_tpl_{_fingerprint()[:16]}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    admin = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (template,)
        ).fetchone()
    if not exists:
        log(f"building the template database {template} (migrate, territory, plan)")
        building = prepare_database(f"{template}_wip")
        env = django_env(building)
        env.pop("REDIS_URL", None)  # loading needs no cache: keep the shared Redis out of it
        migrate_and_load(env)
        with psycopg.connect(admin, autocommit=True) as conn:
            stale = conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'psm\\_drill\\_tpl\\_%%'"
                " AND datname <> %s",
                (building.url.rsplit("/", 1)[-1],),
            ).fetchall()
            for (old,) in stale:
                conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
            conn.execute(f'ALTER DATABASE "{template}_wip" RENAME TO "{template}"')
    if name.startswith("psm_drill_tpl") or name in {"test", "postgres"} or name.startswith("test"):
        raise SystemExit(f"refusing to use database {name!r} for a drill")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return Database(
        url=urlunsplit(parts._replace(path=f"/{name}")),
        kind="postgresql",
        description=f"PostgreSQL, database {name} on {parts.hostname} (copy of {template})",
    )


def _fingerprint() -> str:
    """A hash of what a loaded database depends on (see :func:`prepare_loaded_database`)."""
    from importlib import metadata

    digest = hashlib.sha256()
    skip = {".venv", "node_modules", ".git", "media", "private_media", "staticfiles"}
    for top, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in skip and not d.startswith("."))
        here = Path(top)
        for name in sorted(files):
            wanted = (
                (here.name == "migrations" and name.endswith(".py"))
                or here == ROOT / "data"
                or (here.name == "commands" and name.startswith("load_"))
            )
            if wanted:
                digest.update(str((here / name).relative_to(ROOT)).encode())
                digest.update((here / name).read_bytes())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()


def seed(env: dict[str, str], spec: dict) -> dict:
    """Run ``scripts/bench_seed.py`` in a child process with the bench settings; return what it
    made."""
    out = subprocess.run(  # noqa: S603 - our own fixed commands
        [PY, str(Path(__file__).resolve().with_name("bench_seed.py")), json.dumps(spec)],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


# --------------------------------------------------------------------------- server
def free_port(preferred: int) -> int:
    for port in [preferred, *range(preferred + 1, preferred + 50)]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit("no free port for the bench server")


@dataclass
class Server:
    port: int
    workers: int
    process: subprocess.Popen
    log_path: str
    worker_pids: list[int] = field(default_factory=list)
    kind: str = "uvicorn"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def children(self) -> list[int]:
        pids: list[int] = []
        task_dir = Path(f"/proc/{self.process.pid}/task")
        for task in task_dir.glob("*"):
            try:
                pids += [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                continue
        return pids

    def web_pids(self) -> list[int]:
        """The processes that serve requests: the workers, or uvicorn itself with one worker
        (gunicorn and granian always fork their workers from a supervisor)."""
        if self.workers > 1 or self.kind != "uvicorn":
            # uvicorn's supervisor also spawns a multiprocessing resource tracker: skip it.
            return [pid for pid in self.children() if "resource_tracker" not in _cmdline(pid)]
        return [self.process.pid]

    def log_text(self) -> str:
        """What the server wrote to its log so far."""
        return Path(self.log_path).read_text(errors="replace")

    def peak_rss_mib(self) -> float:
        """Largest VmHWM (peak resident set) among the web processes, in MiB."""
        peaks = [_vm_hwm_kib(pid) for pid in self.web_pids()]
        return round(max([p for p in peaks if p] or [0]) / 1024, 1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


def _vm_hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


#: How production runs uvicorn for the WebSockets (README, ``make run``): the sans-I/O
#: implementation of ``websockets`` (uvicorn's default, named so it stays the one measured) and
#: no per-message compression, which cost the fan-out about 15 % of the worker's CPU for
#: events under 1 KB (docs/performance.md, "Fan-out to 1,000 sockets").
UVICORN_WS_OPTIONS = ("--ws", "websockets-sansio", "--ws-per-message-deflate", "false")


def launch_uvicorn(
    env: dict[str, str], *, port: int, workers: int, output, extra: tuple[str, ...] = ()
) -> subprocess.Popen:
    """The one way the scripts start the ASGI server: uvicorn on 127.0.0.1, in its own session
    (stopped by its own process id), with the file-descriptor limit raised for many sockets.
    ``env`` names the settings module (``DJANGO_SETTINGS_MODULE``)."""
    raise_fd_limit()  # inherited by the server
    cmd = [
        str(ROOT / ".venv" / "bin" / "uvicorn"),
        "config.asgi:application",
        "--app-dir",
        "site",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
        "--backlog",
        "4096",
        *UVICORN_WS_OPTIONS,
        *extra,
    ]
    return subprocess.Popen(  # noqa: S603 - our own fixed commands
        cmd,
        env=env,
        cwd=ROOT,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


SERVERS = ("uvicorn", "gunicorn", "granian")


def launch_http_server(
    kind: str, env: dict[str, str], *, port: int, workers: int, output
) -> subprocess.Popen:
    """An HTTP server for the same Django project, for the benchmark's server comparison:
    ``uvicorn`` (ASGI, what also serves WebSockets), ``gunicorn`` (WSGI, sync workers) or
    ``granian`` (WSGI interface, Rust HTTP stack), each with ``workers`` processes on 127.0.0.1."""
    if kind == "uvicorn":
        return launch_uvicorn(env, port=port, workers=workers, output=output)
    raise_fd_limit()
    venv = ROOT / ".venv" / "bin"
    if kind == "gunicorn":
        cmd = [
            str(venv / "gunicorn"),
            "config.wsgi:application",
            "--pythonpath",
            "site",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--backlog",
            "4096",
            "--log-level",
            "warning",
        ]
    elif kind == "granian":
        cmd = [
            str(venv / "granian"),
            *GRANIAN_ARGS,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--backlog",
            "4096",
            "--log-level",
            "warning",
        ]
    else:
        raise SystemExit(f"unknown server {kind!r}; one of {', '.join(SERVERS)}")
    return subprocess.Popen(  # noqa: S603 - our own fixed commands
        cmd,
        env=env,
        cwd=ROOT,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


# How production serves HTTP (docs/deployment.md): granian's WSGI interface, no WebSockets.
GRANIAN_ARGS = [
    "--interface",
    "wsgi",
    "--no-ws",
    "--working-dir",
    "site",
    "config.wsgi:application",
]


def raise_fd_limit() -> None:
    """Allow as many open files as the hard limit (a thousand WebSocket clients and more)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def start_server(
    env: dict[str, str], *, port: int, workers: int, timeout: float = 60, kind: str = "uvicorn"
) -> Server:
    log_file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - the server writes to it after we return
        prefix=f"psm-bench-{kind}-", suffix=".log", delete=False
    )
    process = launch_http_server(kind, env, port=port, workers=workers, output=log_file)
    server = Server(port=port, workers=workers, process=process, log_path=log_file.name, kind=kind)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{kind} exited early; see {log_file.name}")
        try:
            with urllib.request.urlopen(f"{server.base}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            pass
        time.sleep(0.3)
    else:
        server.stop()
        raise SystemExit(f"{kind} did not answer within {timeout}s; see {log_file.name}")
    if workers > 1 or kind != "uvicorn":  # every worker must be up, not only the first
        end = time.monotonic() + timeout
        while len(server.web_pids()) < workers and time.monotonic() < end:
            time.sleep(0.2)
        time.sleep(1.0)
    return server


def count_queries(url: str, cookie: str = "") -> int | None:
    headers = {"X-Bench-Count-Queries": "1"}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        value = response.headers.get("X-Bench-Query-Count")
    return int(value) if value is not None else None
