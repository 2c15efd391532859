"""A real ASGI server (uvicorn) in a subprocess, on a file SQLite database of its own.

pytest-django's ``live_server`` is WSGI and has no WebSockets, so the multi-process and browser
tests start uvicorn themselves. The database is migrated once per pytest process (a template
file copied for each test) and filled through ``manage.py shell``.
"""

import atexit
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
UVICORN = ROOT / ".venv" / "bin" / "uvicorn"
_TEMPLATES: dict[bool, Path] = {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(db_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_ALLOW"))}
    env.update(
        DATABASE_URL=f"sqlite:///{db_path}",
        DJANGO_SETTINGS_MODULE="config.settings.test",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def run_script(env: dict[str, str], code: str) -> dict:
    """Run Python in ``manage.py shell`` on the server's database; its last line is JSON."""
    output = manage(env, "shell", "-c", code)
    return json.loads(output.strip().splitlines()[-1])


def prepare_database(db_path: Path, *, reference_data: bool = False) -> None:
    """A migrated database (plus comuni and the PSM pages if asked) at ``db_path``."""
    template = _TEMPLATES.get(reference_data)
    if template is None or not template.exists():
        handle, name = tempfile.mkstemp(prefix="psm-live-template-", suffix=".sqlite3")
        os.close(handle)
        template = Path(name)
        template.unlink()
        env = server_env(template)
        manage(env, "migrate", "--noinput", "-v", "0")
        if reference_data:
            manage(env, "load_territory", "-v", "0")
            manage(env, "load_psm", "-v", "0")
        _TEMPLATES[reference_data] = template
        atexit.register(template.unlink, missing_ok=True)
    shutil.copyfile(template, db_path)


def wait_for(url: str, timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local URL
                if response.status < 500:
                    return
        except Exception as error:  # not up yet
            last_error = error
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout}s: {last_error}")


@contextmanager
def uvicorn_server(env: dict[str, str], port: int, log_path: Path):
    """uvicorn serving config.asgi on 127.0.0.1:port until the block ends."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                str(UVICORN),
                "config.asgi:application",
                "--app-dir",
                "site",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base_url}/laboratori/")
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


SESSION_SCRIPT = """
import json
from wagtail.models import Page
from accounts.models import Role
from workshops.models import Activity, LiveSession
from psm.models import ActionPage
from tests.factories import UserFactory
from workshops.services import new_projector_token

page = ActionPage.objects.live().first() or Page.objects.filter(depth=2).first()
facilitator = UserFactory(roles=[Role.FACILITATOR], is_staff=True, email="conduce@example.org")
session = LiveSession.objects.create(
    page=page, facilitator=facilitator, title="Laboratorio a Pinerolo", code="HKMNPR",
    projector_token=new_projector_token(),
)
activity = Activity.objects.create(
    session=session, order=1, kind="single_choice", prompt="Quale spazio rigeneriamo?",
    options=["La stazione", "Il cortile", "Il mercato"], state="%(state)s",
)
if activity.state == "open":
    session.current_activity = activity
    session.save()
print(json.dumps({"session": session.pk, "code": session.code, "activity": activity.pk,
                  "facilitator": facilitator.email, "projector_token": session.projector_token}))
"""


def create_session(env: dict[str, str], *, state: str = "open") -> dict:
    return run_script(env, SESSION_SCRIPT % {"state": state})


def http_vote(base_url: str, code: str, activity_pk: int, choice: int) -> tuple[int, str]:
    """Vote like a phone without JavaScript: open the page (cookies), post the form."""
    import http.cookiejar
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base_url}/laboratori/{code}/", timeout=10) as response:
        response.read()
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "choice": choice}).encode()
    url = f"{base_url}/laboratori/{code}/attivita/{activity_pk}/risposta/"
    with opener.open(url, data=data, timeout=10) as response:
        return response.status, response.read().decode()
