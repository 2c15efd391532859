"""The ``worker-outage`` drill: a real Celery worker stopped and killed while e-mails are queued,
an SMTP sink counting what arrives."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections import Counter
from urllib.parse import urlencode

import benchkit
from benchkit import ROOT, log

from drills.harness import Client, Result, flash_messages
from drills.servers import CeleryWorker, PrivateRedis
from drills.smtp_sink import SmtpSink


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
