"""The ``headers`` drill: security headers of every page, our templates, ``check --deploy``."""

from __future__ import annotations

import os
import subprocess

from benchkit import PY, ROOT

from drills.harness import Result, run_pytest


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
