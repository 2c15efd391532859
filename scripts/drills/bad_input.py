"""The ``bad-input`` drill: generated hostile input, upload attacks, XSS corpus."""

from __future__ import annotations

import re
import subprocess

from benchkit import ROOT

from drills.harness import Result, pytest_command

MIN_GENERATED_CASES = 10_000  # issue 6: at least this many generated bad-input cases in all


def drill_bad_input() -> Result:
    """Hypothesis and schemathesis cases (counted by tests/drills/conftest.py), upload attacks,
    XSS corpus: the figures come from the pytest run's own summary lines."""
    paths = sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "tests/drills").glob("test_bad_input*.py")
    )
    out = subprocess.run(  # noqa: S603 - our own test suite
        pytest_command(*paths, "tests/drills/test_api_schema.py", workers=2),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    lines = [line.strip() for line in out.stdout.splitlines() if line.strip()]

    def figure(pattern: str, default: str = "?") -> str:
        found = [m for line in lines if (m := re.search(pattern, line))]
        return found[-1].group(1) if found else default

    cases = figure(r"GENERATED CASES: (\d+)")
    split = figure(r"GENERATED CASES: \d+ \((.*)\)", "")
    operations = figure(r"API OPERATIONS: (\d+)")
    attacks = figure(r"UPLOAD ATTACKS: (\d+)")
    xss = figure(r"XSS: (\d+ fields x \d+ payloads)")
    summary = lines[-1].strip("= ") if lines else "no output"
    if out.returncode != 0:
        failures = [line for line in lines if line.startswith(("FAILED ", "ERROR tests"))]
        summary += "; " + "; ".join(failures[:5])
    if not cases.isdigit():
        return Result("bad-input", False, f"no GENERATED CASES line: {summary}")
    enough = int(cases) >= MIN_GENERATED_CASES
    line = (
        f"{int(cases):,} generated cases counted ({split}) on services, forms, HTTP and "
        f"{operations} API operations; {attacks} upload attacks; XSS {xss}: {summary}"
    )
    if not enough:
        line += f"; FAULT: fewer than the {MIN_GENERATED_CASES:,} cases the drill promises"
    return Result("bad-input", out.returncode == 0 and enough, line)
