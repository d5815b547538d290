from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from programs.datafiles import DataFileError, shown_name
from programs.services.reference_data import CREATED, UNCHANGED, UPDATED

from ...services.reference_data import ReferenceDataLoad, reference_data_load


def describe(result: ReferenceDataLoad, *, dry_run: bool = False) -> list[str]:
    """The lines that tell an operator what a load did."""
    lines = [f"Catalogue: {shown_name(result.catalogue_folder)}; frameworks: {shown_name(result.frameworks_folder)}"]
    if dry_run:
        lines.append("Dry run: the files are valid; this is what a load would do (nothing was written).")
    for kind, counts in result.catalogue.counts.items():
        parts = [f"{counts[status]} {status}" for status in (CREATED, UPDATED, UNCHANGED) if counts[status]]
        lines.append(f"  {kind}: {', '.join(parts)}")
    for load in result.frameworks:
        lines.append(f"  framework {load.message}")
    lines.extend(f"  {note}" for note in result.catalogue.notes)
    if result.changed:
        lines.append(
            f"{result.total(CREATED)} created, {result.total(UPDATED)} updated, {result.total(UNCHANGED)} unchanged."
        )
    else:
        lines.append("Nothing to change: the database already matches the files.")
    lines.append("No user accounts are created by this command.")
    return lines


class Command(BaseCommand):
    help = (
        "Load the reference data (regions, states, certification standards, the program with its anchors and "
        "critical supply areas, maturity frameworks) from the data files. Idempotent: rows are matched by their "
        "natural key and only differences are written; a framework version used by a diagnostic is never changed "
        "(different content is stored as a new version). Creates no users."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="check the files and report; write nothing")
        parser.add_argument(
            "--path",
            type=Path,
            default=None,
            help="a folder with the catalogue files and a frameworks/ subfolder (default: programs/data and "
            "assessments/data/frameworks)",
        )

    def handle(self, *args, dry_run: bool, path: Path | None, **options):
        with translation.override("en"):
            try:
                result = reference_data_load(folder=path, dry_run=dry_run)
            except DataFileError as error:
                raise CommandError(f"Nothing was loaded; the files have problems:\n{error}") from None
            for line in describe(result, dry_run=dry_run):
                self.stdout.write(line)
