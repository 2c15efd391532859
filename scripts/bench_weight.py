#!/usr/bin/env python3
"""Page weight and Lighthouse on the key pages (``make weight``, also run by ``make bench``).

On its own server (development settings with DEBUG off, demo data in a temporary SQLite file,
static files collected: hashed names, Brotli/gzip by WhiteNoise, as in production) it measures
with Playwright, on a 360 px phone:

- the first load of each key page (empty cache): requests, bytes decoded and bytes transferred
  (compressed bodies plus headers);
- the same pages visited one after another in one tab (warm cache: the "later pages");
- any Content Security Policy violation the browser reports on them;

then runs Lighthouse (npm ``lighthouse``, mobile profile with its simulated slow 4G, Debian's
Chromium) on each page for the performance score and the Largest Contentful Paint.

Targets (issue 14, docs/performance.md "Peso delle pagine"): first load ≤ 600 KiB decoded and
≤ 200 KiB transferred, later pages ≤ 60 KiB, performance ≥ 95, LCP ≤ 2.5 s. Prints a table,
writes bench-results/weight.json and exits 1 when a target is missed.

``--base-url URL --page NAME=PATH…`` measures a server already running instead.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
RESULTS = ROOT / "bench-results"
KIB = 1024
TARGETS = {"decoded": 600 * KIB, "transferred": 200 * KIB, "later": 60 * KIB}
TARGET_SCORE, TARGET_LCP_MS = 95, 2500
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]

# The key pages' paths, found in the demo data by the server's own models.
FIND_PAGES = """
import json
from consultations.models import ConsultationPage
from proposals.models import Proposal
from workshops.models import LiveSession
consultation = ConsultationPage.objects.live().public().first()
proposal = Proposal.objects.filter(consultation=consultation).order_by("pk").first()
session = LiveSession.objects.filter(status="open").order_by("pk").first()
print(json.dumps({
    "home": "/",
    "consultation": consultation.url,
    "proposal": f"/proposte/{proposal.pk}/",
    "workshop-phone": f"/laboratori/{session.code}/",
}))
"""


class Server:
    """uvicorn on the development settings with DEBUG off, on a throwaway demo database."""

    def __init__(self, port: int):
        self.port = port
        self.tmp = Path(tempfile.mkdtemp(prefix="psm-weight-"))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": f"sqlite:///{self.tmp / 'weight.sqlite3'}",
            "CELERY_TASK_ALWAYS_EAGER": "true",
        }
        for name in ("REDIS_URL", "CACHE_URL"):
            self.env.pop(name, None)
        self.process = None

    def manage(self, *args: str) -> str:
        """Run a manage.py command quietly; its output is shown only when it fails."""
        done = subprocess.run(  # noqa: S603 - manage.py with our own arguments
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, text=True, capture_output=True
        )
        if done.returncode:
            print(done.stdout, done.stderr, sep="\n", file=sys.stderr)
            done.check_returncode()
        return done.stdout

    def start(self) -> dict[str, str]:
        print("preparing the demo database and the static files…", flush=True)
        self.manage("migrate", "--noinput", "--verbosity", "0")
        for command in ("load_territory", "load_psm", "load_demo"):
            self.manage(command)
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        found = self.manage("shell", "-c", FIND_PAGES).strip().splitlines()[-1]
        pages = json.loads(found)
        self.process = subprocess.Popen(  # noqa: S603 - the venv's uvicorn
            [
                str(Path(PYTHON).parent / "uvicorn"),
                "config.asgi:application",
                "--app-dir",
                "site",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2)  # noqa: S310 - http://127.0.0.1
                return pages
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("the server did not start within 60 s")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=15)
        shutil.rmtree(self.tmp, ignore_errors=True)


class Recorder:
    """Bytes of the responses a page fetched from the network (not from the browser cache)."""

    def __init__(self, page):
        self.responses = []
        self.csp = []
        page.on("requestfinished", self.finished)
        page.on("console", self.console)

    def finished(self, request):
        response = request.response()
        if response is None or response.from_service_worker:
            return
        sizes = request.sizes()
        if response.status == 304 or sizes["responseBodySize"] < 0:
            return
        try:
            decoded = len(response.body())
        except Exception:  # a redirect or an aborted body: nothing decoded
            decoded = 0
        transferred = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        self.responses.append((request.url, decoded, transferred))

    def console(self, message):
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def take(self) -> dict:
        responses, self.responses = self.responses, []
        return {
            "requests": len(responses),
            "decoded": sum(r[1] for r in responses),
            "transferred": sum(r[2] for r in responses),
            "files": [{"url": u, "decoded": d, "transferred": t} for u, d, t in responses],
        }


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(300)


def measure_weight(base_url: str, pages: dict[str, str]) -> dict:
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path in pages.items():  # first load: a new profile, empty cache
            context = browser.new_context(**PHONE)
            page = context.new_page()
            recorder = Recorder(page)
            visit(page, base_url + path)
            results[name] = {"path": path, "first": recorder.take(), "csp": recorder.csp}
            context.close()
        # Later pages: one tab, warm cache, each page reached from the one before it (the
        # first page again after the last), so page-specific files count where they are new.
        context = browser.new_context(**PHONE)
        page = context.new_page()
        recorder = Recorder(page)
        names = list(pages)
        for index, name in enumerate([*names, names[0]]):
            visit(page, base_url + pages[name])
            later = recorder.take()
            if index > 0:
                results[name]["later"] = later
        results[next(iter(pages))]["csp"] += recorder.csp
        context.close()
        browser.close()
    return results


def lighthouse(url: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="psm-lighthouse-") as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(  # noqa: S603 - the npm package's own command
            [
                str(LIGHTHOUSE),
                url,
                "--only-categories=performance",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
            ],
            cwd=ROOT,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            check=True,
        )
        data = json.loads(report.read_text())
    audits = data["audits"]
    return {
        "score": round(data["categories"]["performance"]["score"] * 100),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
    }


def kib(size: int) -> str:
    return f"{size / KIB:.1f}"


def report(results: dict) -> list[str]:
    failures = []
    header = (
        f"{'page':<16}{'req':>5}{'decoded KiB':>13}{'transf. KiB':>13}{'later KiB':>11}"
        f"{'score':>7}{'LCP s':>7}{'CSP':>5}"
    )
    print(header)
    print("-" * len(header))
    for name, row in results.items():
        first, later, lh = row["first"], row.get("later", {}), row.get("lighthouse", {})
        later_bytes = later.get("decoded", 0)
        print(
            f"{name:<16}{first['requests']:>5}{kib(first['decoded']):>13}"
            f"{kib(first['transferred']):>13}{kib(later_bytes):>11}"
            f"{lh.get('score', '-'):>7}{lh.get('lcp_ms', 0) / 1000:>7.2f}{len(row['csp']):>5}"
        )
        checks = [
            (first["decoded"] <= TARGETS["decoded"], "first load decoded > 600 KiB"),
            (first["transferred"] <= TARGETS["transferred"], "first load transferred > 200 KiB"),
            (later_bytes <= TARGETS["later"], "later visit > 60 KiB"),
            (not row["csp"], f"CSP violations: {row['csp'][:3]}"),
        ]
        if lh:
            checks += [
                (lh["score"] >= TARGET_SCORE, f"Lighthouse performance {lh['score']} < 95"),
                (lh["lcp_ms"] <= TARGET_LCP_MS, f"LCP {lh['lcp_ms']} ms > 2500 ms"),
            ]
        failures += [f"{name}: {message}" for ok, message in checks if not ok]
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="measure this running server instead of starting one")
    parser.add_argument("--page", action="append", default=[], help="NAME=PATH (with --base-url)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEIGHT_PORT", 8097)))
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    server = None
    if args.base_url:
        base_url = args.base_url.rstrip("/")
        pages = dict(item.split("=", 1) for item in args.page) or {"home": "/"}
    else:
        server = Server(args.port)
        pages = server.start()
        base_url = server.url
    try:
        results = measure_weight(base_url, pages)
        if not args.no_lighthouse:
            for name, path in pages.items():
                results[name]["lighthouse"] = lighthouse(base_url + path)
    finally:
        if server:
            server.stop()
    failures = report(results)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "weight.json").write_text(json.dumps(results, indent=2))
    print(f"\ndetails: {(RESULTS / 'weight.json').relative_to(ROOT)}")
    for failure in failures:
        print(f"MISSED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
