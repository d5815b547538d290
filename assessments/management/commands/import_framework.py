from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from programs.datafiles import DataFileError

from ...services.framework_files import framework_load, framework_read


class Command(BaseCommand):
    help = (
        "Load one maturity framework version from a YAML file: created if new, updated in place if no diagnostic "
        "uses it yet, stored as a new version if its version is in use, left alone if identical."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check the file and report; write nothing")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        with translation.override("en"):
            try:
                data = framework_read(file)
            except DataFileError as error:
                raise CommandError(f"Nothing was imported; the file has problems:\n{error}") from None
            load = framework_load(data=data, dry_run=dry_run)
            prefix = "Dry run (nothing written): " if dry_run else ""
            self.stdout.write(prefix + load.message)
