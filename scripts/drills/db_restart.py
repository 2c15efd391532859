"""The ``db-restart`` drill: a private PostgreSQL restarted during traffic (pages, and supports
sent with htmx, which take the quick path and its batch writer with a connection of its own,
``proposals.quick_support``); a leadership draft saved before it reads back intact; every
support answered as stored is stored once."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from html.parser import HTMLParser
from urllib.parse import urlencode

import benchkit
from benchkit import log

from drills.harness import Client, Result
from drills.servers import PG_BIN, PrivatePostgres
from drills.vote_integrity import SUPPORTED


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


def _send_supports(client: Client, proposal_ids, stop: threading.Event, supports: list) -> None:
    """One support every 0.8 s, as the button sends it with htmx, until told to stop."""
    for pid in proposal_ids:
        if stop.is_set():
            return
        try:
            status, _ = client.request(
                "POST", f"/proposte/{pid}/sostegno/", extra={"HX-Request": "true"}
            )
        except Exception:
            status = None
        stored = status == 200 and SUPPORTED.search(client.body) is not None
        supports.append((time.monotonic(), status, stored))  # list.append is atomic
        time.sleep(0.8)


def _supports_after_restart(url: str, voter_id: int, supports, back: float) -> tuple[bool, str]:
    """Each support answered as stored is in the database once, and every support sent once
    PostgreSQL had been back for 5 seconds was stored."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        stored = conn.execute(
            "SELECT count(*), count(DISTINCT proposal_id) FROM proposals_vote WHERE voter_id = %s",
            [voter_id],
        ).fetchone()
    answered = sum(1 for _t, _s, ok in supports if ok)
    late = [ok for t, _s, ok in supports if t > back + 5]
    ok = stored[0] == answered == stored[1] and bool(late) and all(late)
    return ok, (
        f"{len(supports)} supports sent with htmx, {answered} answered as stored = "
        f"{stored[0]} stored ({stored[1]} distinct), all {len(late)} sent 5 s after the "
        f"restart stored: {all(late) if late else 'none sent'}"
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
        server = benchkit.start_server(
            env, port=benchkit.free_port(8789), workers=1, kind="granian"
        )
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

        supports: list[tuple[float, int | None, bool]] = []
        supporter = Client(server.port, seeded["users"][0]["session"])
        threads = [threading.Thread(target=traffic, args=(i,)) for i in range(4)]
        threads.append(
            threading.Thread(
                target=_send_supports,
                args=(supporter, consultation["proposal_ids"], stop, supports),
            )
        )
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
        support_check = _supports_after_restart(db.url, seeded["users"][0]["id"], supports, back)
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
            and support_check[0]
        )
        line = (
            f"PostgreSQL down for {back - began:.1f}s (pg_ctl restart -m fast): "
            f"{len(failures)} failed requests, all answers 200 again {recovered_after:.1f}s "
            f"after it was back; {len(samples)} requests in all; {draft_check[1]}; "
            f"{support_check[1]}"
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
