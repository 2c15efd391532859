"""The ``redis-outage`` drill: the private Redis stopped and started again during traffic, with a
browser tab's socket reconnecting as live-updates.js does."""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
from collections import Counter

import benchkit
from benchkit import log

from drills.harness import Client, Result, Tally, flash_messages
from drills.servers import PrivateRedis


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
