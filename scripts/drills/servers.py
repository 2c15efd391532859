"""Private servers the drills start and stop by themselves: a Redis instance, a PostgreSQL
cluster and a Celery worker (the SMTP sink is ``drills.smtp_sink``; uvicorn is started by
``benchkit.start_server``, as the benchmark starts it)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from benchkit import ROOT

PG_BIN = Path("/usr/lib/postgresql/15/bin")


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
