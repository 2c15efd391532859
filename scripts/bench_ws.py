"""Benchmark (not a test): WebSocket delivery latency of live-workshop votes.

Starts ONE uvicorn worker on 127.0.0.1 with the bench settings (``config.settings.bench``: as
production, so live events are coalesced per ``REALTIME_COALESCE_WINDOW``, 100 ms by default)
on a fresh SQLite file database (in-memory channel layer, or Redis with --redis URL), opens N
WebSocket clients on the session's socket, casts votes over HTTP one after the other (each from
a different device, like phones without JavaScript) and prints p50 / p95 / max latency from
"vote POST sent" to "event received" over every (client, vote) pair. Then a burst of --burst
votes sent at once checks coalescing: every client must see the final total, in at most one
event per window. Bounded: --clients, --votes and a global --timeout; it stops the server and
exits by itself.

The socket follows "the projector rule" (workshops/consumers.py, ``services.may_watch``): each
client opens it as a legitimate follower, with the session's projector link
(``?schermo=<token>``), like the screens of a hall. Phones that joined would need more than the
per-network device bound from one address (127.0.0.1), which the bench does not lift.

    .venv/bin/python scripts/bench_ws.py --clients 1000 --votes 30
"""

import argparse
import asyncio
import http.cookiejar
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import benchkit  # noqa: E402
import websockets  # noqa: E402

from tests.workshops.asgi_server import (  # noqa: E402
    free_port,
    prepare_database,
    run_script,
    server_env,
    wait_for,
)

SETUP = """
import json
from wagtail.models import Page
from workshops.models import Activity, LiveSession
from workshops.services import new_projector_token
page = Page.objects.filter(depth=2).first()
session = LiveSession.objects.create(
    page=page, title="Benchmark", code="HKMNPR", projector_token=new_projector_token()
)
activity = Activity.objects.create(session=session, order=1, kind="single_choice",
    prompt="Benchmark", options=["A", "B", "C", "D"], state="open", results_visible=True)
session.current_activity = activity
session.save()
print(json.dumps({"session": session.pk, "code": session.code, "activity": activity.pk,
    "screen": session.projector_token}))
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def prepare_voter(base_url: str, code: str):
    """A phone that opened the page: its cookies (device token, CSRF) and an opener."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(f"{base_url}/laboratori/{code}/", timeout=30) as response:
        response.read()
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    return opener, csrf


def post_vote(base_url: str, code: str, activity: int, voter, choice: int) -> int:
    opener, csrf = voter
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "choice": choice}).encode()
    url = f"{base_url}/laboratori/{code}/attivita/{activity}/risposta/"
    try:
        with opener.open(url, data=data, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:  # the 302 comes back as an "error" without redirects
        return error.code


async def client(ws_url: str, origin: str, seen: list[dict], ready: asyncio.Event):
    """One WebSocket client: records when it first saw each total, and when each event came.
    It reads until the bench cancels it; a socket the server closes ends the task early (the
    bench counts it as dropped). No timer per message: a ``wait_for`` around each ``recv``
    cost the client more CPU than decoding the event."""
    first_seen: dict[int, float] = {}
    arrivals: list[float] = []
    seen.append({"first_seen": first_seen, "arrivals": arrivals})
    async with websockets.connect(ws_url, origin=origin, open_timeout=60, max_queue=None) as socket:
        ready.set()
        highest = 0
        async for raw in socket:
            now = time.perf_counter()
            arrivals.append(now)
            total = (json.loads(raw)["payload"].get("activity") or {}).get("total", 0)
            for value in range(highest + 1, total + 1):
                first_seen[value] = now
            highest = max(highest, total)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of another process so far (Linux ``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_peak_rss_mib(pid: int) -> float:
    """Peak resident memory of another process (``VmHWM`` in ``/proc/<pid>/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


class GroupSends:
    """With --redis, the server's sends themselves: the bench subscribes to the session group's
    pub/sub channel (``RedisPubSubChannelLayer`` publishes each group event there once) and
    notes when each event was published. Coalescing is judged on these times: what a client
    sees also carries the fan-out's jitter (a socket served last for one event and first for
    the next gets the two close together). The subscriber is a thread of its own, so that the
    clients' event loop, busy decoding 1,000 frames, does not delay it."""

    def __init__(self, url: str, channel: str):
        self.url, self.channel = url, channel
        self.times: list[float] = []
        self.stop = threading.Event()

    def __enter__(self):
        import redis

        self.client = redis.Redis.from_url(self.url)
        self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        self.pubsub.subscribe(self.channel)
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.thread.start()
        return self

    def _listen(self):
        while not self.stop.is_set():
            if self.pubsub.get_message(timeout=0.2) is not None:
                self.times.append(time.perf_counter())

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)
        self.pubsub.close()
        self.client.close()

    def min_gap_ms(self, since: float) -> float | None:
        times = [t for t in self.times if t >= since]
        gaps = [(b - a) * 1000 for a, b in zip(times, times[1:], strict=False)]
        return round(min(gaps), 1) if gaps else None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def run(args, base_url: str, data: dict) -> dict:
    if not args.redis:
        return await run_clients(args, base_url, data, None)
    channel = f"{args.channels_prefix}__group__psm.live.{data['session']}"
    with GroupSends(args.redis, channel) as sends:
        return await run_clients(args, base_url, data, sends)


async def run_clients(args, base_url: str, data: dict, sends: GroupSends | None) -> dict:
    loop = asyncio.get_running_loop()
    code, activity = data["code"], data["activity"]
    voters = await asyncio.gather(
        *[
            loop.run_in_executor(None, prepare_voter, base_url, code)
            for _ in range(args.votes + args.burst)
        ]
    )
    # The projector link: a screen of the hall may follow the session without a login.
    query = urllib.parse.urlencode({"schermo": data["screen"]})
    ws_url = base_url.replace("http://", "ws://") + f"/ws/live/{data['session']}/?{query}"
    seen: list[dict] = []
    readies = [asyncio.Event() for _ in range(args.clients)]
    started = time.perf_counter()
    tasks = []
    for index in range(args.clients):  # open in batches so the accept queue does not overflow
        tasks.append(asyncio.create_task(client(ws_url, base_url, seen, readies[index])))
        if index % 50 == 49:
            await asyncio.sleep(0.05)
    waiting = asyncio.ensure_future(asyncio.gather(*[r.wait() for r in readies]))
    deadline = started + args.timeout / 2
    while not waiting.done() and time.perf_counter() < deadline:
        # a socket that ends before the bench stops was refused (HTTP 403) or dropped: say so
        # at once instead of waiting for the timeout
        await asyncio.wait([waiting, *tasks], timeout=1, return_when=asyncio.FIRST_COMPLETED)
        refused = [t for t, r in zip(tasks, readies, strict=True) if t.done() and not r.is_set()]
        if refused:
            waiting.cancel()
            for task in tasks:
                task.cancel()
            await asyncio.gather(waiting, *tasks, return_exceptions=True)
            error = next((t.exception() for t in refused if t.exception()), None)
            raise RuntimeError(f"{len(refused)} sockets refused, e.g. {error!r}")
    if not waiting.done():
        raise TimeoutError("the sockets did not all connect in time")
    connect_seconds = time.perf_counter() - started
    # CPU spent while the votes fan out: this client process and the server's worker
    client_cpu, server_cpu = time.process_time(), process_cpu_seconds(args.server_pid)
    sent_at: dict[int, float] = {}
    statuses = []
    for number in range(1, args.votes + 1):
        sent_at[number] = time.perf_counter()
        statuses.append(
            await loop.run_in_executor(
                None, post_vote, base_url, code, activity, voters[number - 1], number % 4
            )
        )
        await asyncio.sleep(args.interval)
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline and any(len(s["first_seen"]) < args.votes for s in seen):
        await asyncio.sleep(0.1)
    client_cpu = time.process_time() - client_cpu
    server_cpu = process_cpu_seconds(args.server_pid) - server_cpu
    latencies = [
        (s["first_seen"][number] - sent_at[number]) * 1000
        for s in seen
        for number in sent_at
        if number in s["first_seen"]
    ]
    burst = await run_burst(args, base_url, code, activity, voters[args.votes :], seen, sends)
    peak_rss = process_peak_rss_mib(args.server_pid)
    dropped = [task for task in tasks if task.done()]  # ended before the bench stopped them
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    expected = args.clients * args.votes
    return {
        "clients": args.clients,
        "votes": args.votes,
        "connect_seconds": round(connect_seconds, 2),
        "http_statuses": sorted(set(statuses) | set(burst.pop("statuses"))),
        "deliveries": len(latencies),
        "missing": expected - len(latencies),
        "dropped_sockets": len(dropped),
        "dropped_example": repr(next((t.exception() for t in dropped if t.exception()), None)),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
        "server_cpu_ms_per_vote": round(server_cpu * 1000 / args.votes, 1),
        "client_cpu_ms_per_vote": round(client_cpu * 1000 / args.votes, 1),
        "server_peak_rss_mib": peak_rss,
        **burst,
    }


async def run_burst(args, base_url: str, code: str, activity: int, voters, seen, sends) -> dict:
    """--burst votes at once: every client must see the final total; with coalescing each
    gets at most one event per window (plus the leading one), not one per vote."""
    if not args.burst:
        return {"statuses": []}
    loop = asyncio.get_running_loop()
    final = args.votes + args.burst
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.burst) as pool:
        statuses = await asyncio.gather(
            *[
                loop.run_in_executor(pool, post_vote, base_url, code, activity, voter, i % 4)
                for i, voter in enumerate(voters)
            ]
        )
    sent_seconds = time.perf_counter() - started
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline and any(final not in s["first_seen"] for s in seen):
        await asyncio.sleep(0.1)
    events = [[t for t in s["arrivals"] if t >= started] for s in seen]
    gaps = [(b - a) * 1000 for times in events for a, b in zip(times, times[1:], strict=False)]
    return {
        "statuses": statuses,
        "burst_votes": args.burst,
        "burst_send_seconds": round(sent_seconds, 2),
        "burst_missing_final_total": sum(final not in s["first_seen"] for s in seen),
        "burst_events_per_client_max": max((len(t) for t in events), default=0),
        "burst_events_per_client_median": statistics.median(len(t) for t in events),
        "burst_min_gap_ms": round(min(gaps), 1) if gaps else None,
        "burst_sends": len([t for t in sends.times if t >= started]) if sends else None,
        "burst_sends_min_gap_ms": sends.min_gap_ms(started) if sends else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--votes", type=int, default=30)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between votes")
    parser.add_argument(
        "--burst", type=int, default=20, help="votes sent at once at the end (0: none)"
    )
    parser.add_argument("--timeout", type=float, default=240, help="hard limit for the run")
    parser.add_argument(
        "--redis", default="", help="REDIS_URL for the channel layer (default: in-memory)"
    )
    parser.add_argument(
        "--uvicorn",
        default="",
        help='extra uvicorn options, to compare (e.g. "--ws websockets")',
    )
    args = parser.parse_args()
    args.clients = max(1, min(args.clients, 5000))
    args.votes = max(1, min(args.votes, 500))
    args.burst = max(0, min(args.burst, 200))
    args.channels_prefix = f"bench{os.getpid()}"
    benchkit.raise_fd_limit()

    workdir = Path(tempfile.mkdtemp(prefix="psm-bench-ws-"))
    db_path = workdir / "bench.sqlite3"
    print(f"preparing a database in {db_path} ...", flush=True)
    prepare_database(db_path)
    # The bench settings, as production: coalescing on (the test settings turn it off).
    env = server_env(
        db_path,
        DJANGO_SETTINGS_MODULE=benchkit.SETTINGS,
        CHANNELS_PREFIX=args.channels_prefix,
        BENCH_PREFIX=f"psm-bench-ws{os.getpid()}",
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    if args.redis:
        env["REDIS_URL"] = args.redis
    data = run_script(env, SETUP)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = open(workdir / "uvicorn.log", "w")  # noqa: SIM115 - closed below
    server = benchkit.launch_uvicorn(
        env, port=port, workers=1, output=log, extra=tuple(args.uvicorn.split())
    )
    try:
        wait_for(f"{base_url}/laboratori/")
        layer = "Redis" if args.redis else "in-memory"
        print(
            f"one uvicorn worker on {base_url} ({layer} channel layer); "
            f"{args.clients} clients, {args.votes} votes ...",
            flush=True,
        )
        args.server_pid = server.pid
        result = asyncio.run(asyncio.wait_for(run(args, base_url, data), timeout=args.timeout))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        tail = (workdir / "uvicorn.log").read_text(errors="replace").splitlines()[-15:]
        if tail:
            print("uvicorn log (last lines):", *tail, sep="\n  ", file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)
    result["channel_layer"] = "redis" if args.redis else "in-memory"
    result["coalesce_window_s"] = float(env.get("REALTIME_COALESCE_WINDOW") or 0.1)
    print(json.dumps(result, indent=2))
    print(
        f"latency vote → delivery over {result['deliveries']} deliveries "
        f"({result['channel_layer']}): p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms (goal ≤ 200 ms), max {result['max_ms']} ms, "
        f"missing {result['missing']} (goal 0); server CPU {result['server_cpu_ms_per_vote']} ms "
        f"and client CPU {result['client_cpu_ms_per_vote']} ms per vote, "
        f"server peak RSS {result['server_peak_rss_mib']} MiB"
    )
    if args.burst:
        window = result["coalesce_window_s"] * 1000
        sends = (
            f"{result['burst_sends']} events published, min gap "
            f"{result['burst_sends_min_gap_ms']} ms (goal ≥ {window:.0f} ms); "
            if args.redis
            else ""
        )
        print(
            f"burst of {args.burst} votes in {result['burst_send_seconds']} s: {sends}at most "
            f"{result['burst_events_per_client_max']} events per client, min gap seen by a "
            f"client {result['burst_min_gap_ms']} ms (with the fan-out's jitter), "
            f"{result['burst_missing_final_total']} clients missed the final total"
        )
    ok = result["missing"] == 0 and not result.get("burst_missing_final_total")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
