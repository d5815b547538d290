from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...models import Framework
from ...services.framework_files import framework_export


class Command(BaseCommand):
    help = "Write a maturity framework version as a YAML file (the latest version unless --version is given)."

    def add_base_argument(self, parser, *args, **kwargs):
        if "--version" not in args:  # here --version is the framework's, not the program's
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("code", help="framework code, e.g. sdp-auto-parts")
        parser.add_argument("--version", type=int, default=None, dest="framework_version", help="version number")
        parser.add_argument("-o", "--output", type=Path, default=None, help="file to write (default: standard output)")

    def handle(self, *args, code: str, framework_version: int | None, output: Path | None, **options):
        frameworks = Framework.objects.filter(code=code).order_by("-version")
        if framework_version is not None:
            frameworks = frameworks.filter(version=framework_version)
        framework = frameworks.first()
        if framework is None:
            which = f"version {framework_version} of " if framework_version is not None else ""
            raise CommandError(f"There is no {which}framework {code!r}.")
        text = framework_export(framework)
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stderr.write(f"Wrote {code} version {framework.version} to {output}.")
