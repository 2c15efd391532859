"""Print the personal-data registry as the Markdown table of ``docs/permissions.md``."""

from django.core.management.base import BaseCommand

from accounts.personal_data import declared_by_app


def _erasure(declaration) -> str:
    erase = declaration.erase
    text = erase.summary
    if erase.values is not None:
        text = "anonymised: " + ", ".join(f"`{name}`" for name in erase.values) + " emptied"
    if erase.kept:
        text += "; kept: " + ", ".join(f"`{name}`" for name in erase.kept)
    return text


def registry_table() -> str:
    """The table, then the legal bases it refers to by letter."""
    bases: dict[str, str] = {}
    lines = [
        "| model · link to the person | what it holds | export (`section.name`) | erasure "
        "| kept because |",
        "|---|---|---|---|---|",
    ]
    for label, declaration in declared_by_app():
        letter = ""
        if declaration.keeps_anything:
            basis = declaration.erase.legal_basis
            letter = bases.setdefault(basis, chr(ord("A") + len(bases)))
        export = f"`{label}.{declaration.name}`" if declaration.export else "—"
        lines.append(
            f"| `{declaration.label}` · `{declaration.user_field}` | {declaration.holds} "
            f"| {export} | {_erasure(declaration)} | {letter} |"
        )
    lines.append("")
    lines.extend(f"- **{letter}**: {basis}" for basis, letter in bases.items())
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Print the personal-data registry as a Markdown table (docs/permissions.md)."

    def handle(self, *args, **options):
        self.stdout.write(registry_table(), ending="")
