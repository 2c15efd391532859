"""Put the project's two source roots on the virtualenv's path (a ``.pth`` file).

``site/`` holds the shell's packages (``config``, ``core``, ``accounts`` …) and the repository
root the domain apps (``consultations``, ``proposals`` …). ``manage.py``, the tests and the
WSGI/ASGI entry points add both themselves; the ``.pth`` file does it for every other tool run
from the virtualenv, so that ``.venv/bin/lint-imports`` (the layer contract) and a plain
``python -c "import config"`` see the same packages without ``PYTHONPATH``.
"""

import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    target = Path(sysconfig.get_paths()["purelib"]) / "psm-giovani-source-roots.pth"
    target.write_text(f"{ROOT / 'site'}\n{ROOT}\n", encoding="utf-8")
    print(f"source roots on the path: {target}")


if __name__ == "__main__":
    main()
