"""The drills' harness: the result of a drill, an HTTP client, the pytest runner, a traffic
tally, and the loop that runs the drills and prints one line each."""

from __future__ import annotations

import base64
import http.client
import json
import re
import subprocess
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field

from benchkit import PY, ROOT, log

CSRF_SECRET = "drilldrilldrilldrilldrilldrill12"


@dataclass
class Result:
    name: str
    ok: bool | None  # None: skipped
    line: str


class Client:
    """A keep-alive HTTP/1.1 client for one thread; never follows redirects."""

    def __init__(self, port: int, session: str | None = None):
        self.port = port
        self.session = session
        self.conn: http.client.HTTPConnection | None = None
        self.body = b""  # the last response's body

    def request(
        self, method: str, path: str, body: str = "", *, extra: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str]]:
        headers = {"Host": "127.0.0.1", **(extra or {})}
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


def pytest_command(*paths: str, workers: int = 1) -> list[str]:
    """The drills' pytest run; ``workers`` > 1 spreads it over pytest-xdist processes (the
    drills' conftest adds up their counted cases)."""
    spread = ["-n", str(workers)] if workers > 1 else ["-n", "0"]
    return [PY, "-m", "pytest", "-q", "-p", "no:randomly", *spread, *paths]


def run_pytest(*paths: str, workers: int = 1) -> tuple[bool, str]:
    out = subprocess.run(  # noqa: S603 - our own test suite
        pytest_command(*paths, workers=workers),
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


def run_drills(drills: dict, wanted: list[str]) -> int:
    """Run the drills whose names start with one of ``wanted`` (all when empty), one line each;
    1 only when a drill found a fault."""
    names = [n for n in drills if not wanted or any(n.startswith(w) for w in wanted)]
    results = []
    for name in names:
        log(f"drill {name} ...")
        started = time.monotonic()
        try:
            result = drills[name]()
        except Exception as error:  # a drill that cannot run is reported, not hidden
            result = Result(name, False, f"could not run: {type(error).__name__}: {error}")
        mark = {True: "PASS", False: "FAIL", None: "SKIP"}[result.ok]
        print(
            f"{mark} {result.name} ({time.monotonic() - started:.0f}s): {result.line}", flush=True
        )
        results.append(result)
    return 1 if any(r.ok is False for r in results) else 0
