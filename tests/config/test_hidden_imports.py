"""The layer contract (import-linter, ``pyproject.toml``) sees only ``import`` statements. A
lower layer can still reach a higher one at run time through a look-up by name: allauth's
``get_adapter()`` returns ``accounts.adapters.AccountAdapter`` from a setting,
``import_string``/``import_module`` load any dotted path, ``apps.get_model`` any model. This
check keeps such look-ups out of every layer below ``config`` (the shell's packages under
``site/`` and the domain apps at the root) except where they are the documented mechanism.
"""

import re
from pathlib import Path

from django.conf import settings

#: every package of the layer contract below ``config`` (pyproject.toml, ``[tool.importlinter]``)
LOWER_LAYERS = (
    "core", "territory", "accounts", "realtime", "notifications", "psm",
    "consultations", "proposals", "leadership", "conversations", "workshops",
    "staffhome", "equity", "accountability", "reviewing", "contests",
)  # fmt: skip
LOOKUPS = re.compile(r"\b(get_adapter|import_string|import_module|get_model)\s*\(")
#: file → why its look-up is the mechanism, not a way around the contract.
ALLOWED = {
    "accounts/personal_data.py": (
        "discovers each installed app's personal_data module, like Django's autodiscovery of "
        "admin modules: the registry must list models of every app without importing them"
    ),
    "accounts/adapters.py": "allauth's own adapter chain (the account adapter is this app's)",
    "psm/translatable_rows.py": (
        "a helper of data migrations: ``apps`` is the migration's historical registry, the "
        "only way a migration may reach models (as in the migrations folders, left out above)"
    ),
}


def _offenders() -> list[str]:
    base = Path(settings.BASE_DIR)
    found = []
    for layer in LOWER_LAYERS:
        root = base / "site" if (base / "site" / layer).is_dir() else base
        for path in sorted((root / layer).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "/migrations/" in relative or relative in ALLOWED:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if LOOKUPS.search(line) and not line.lstrip().startswith("#"):
                    found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_lower_layers_do_not_reach_up_by_name():
    assert _offenders() == []


def test_the_check_sees_a_lookup(tmp_path, settings):
    (tmp_path / "site" / "core").mkdir(parents=True)
    (tmp_path / "site" / "core" / "x.py").write_text(
        "from allauth.account.adapter import get_adapter\nget_adapter(request)\n"
    )
    settings.BASE_DIR = tmp_path
    assert _offenders() == ["core/x.py:2: get_adapter(request)"]


def test_every_package_below_config_is_checked():
    import tomllib

    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    contract = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["importlinter"]
    assert set(LOWER_LAYERS) == set(contract["root_packages"]) - {"config"}
