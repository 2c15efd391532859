#!/usr/bin/env python
"""Django's command-line utility for PSM Giovani."""

import os
import sys
from pathlib import Path


def main() -> None:
    # site/ is a source root (it cannot be a package: ``site`` is a standard-library module).
    sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
