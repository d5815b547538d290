"""Loading all reference data: the programs catalogue, then the maturity frameworks.

Both are read and checked before anything is written (a supply area's requirements must name
dimensions of the frameworks being loaded), then written in one transaction: a problem in any
file leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from programs.datafiles import DataFileError
from programs.models import Program
from programs.services.reference_data import (
    CREATED,
    DATA_FOLDER,
    UPDATED,
    Catalogue,
    LoadReport,
    catalogue_load,
    catalogue_read,
)

from .framework_files import FRAMEWORKS_FOLDER, NEW_VERSION, FrameworkLoad, framework_load, frameworks_read


@dataclass(frozen=True)
class ReferenceDataLoad:
    catalogue_folder: Path
    frameworks_folder: Path
    program: Program | None
    content: Catalogue  # what the catalogue files hold
    catalogue: LoadReport
    frameworks: list[FrameworkLoad]

    def total(self, status: str) -> int:
        """Rows (catalogue) and framework versions with ``status``; a new version counts as created."""
        statuses = {status, NEW_VERSION} if status == CREATED else {status}
        return self.catalogue.total(status) + sum(1 for load in self.frameworks if load.status in statuses)

    @property
    def changed(self) -> bool:
        return bool(self.total(CREATED) or self.total(UPDATED))


def reference_data_folders(folder: Path | None = None) -> tuple[Path, Path]:
    """(catalogue folder, frameworks folder): the apps' own ``data`` folders, or ``folder`` and
    its ``frameworks`` subfolder."""
    if folder is None:
        return DATA_FOLDER, FRAMEWORKS_FOLDER
    return folder, folder / "frameworks"


def reference_data_read(folder: Path | None = None) -> tuple[Catalogue, list[dict]]:
    """Read and check every file; ``DataFileError`` lists the problems of all of them."""
    catalogue_folder, frameworks_folder = reference_data_folders(folder)
    problems = []
    try:
        frameworks = frameworks_read(frameworks_folder)
    except DataFileError as error:
        problems.extend(error.problems)
        frameworks = []
    # Requirements are checked against the frameworks' dimensions only when those could be read.
    dimension_codes = None if problems else {d["code"] for f in frameworks for d in f["dimensions"]}
    try:
        catalogue = catalogue_read(catalogue_folder, dimension_codes=dimension_codes)
    except DataFileError as error:
        problems.extend(error.problems)
    if problems:
        raise DataFileError(problems)
    return catalogue, frameworks


@transaction.atomic
def reference_data_load(*, folder: Path | None = None, dry_run: bool = False, actor=None) -> ReferenceDataLoad:
    """Upsert the catalogue (``programs.services.reference_data``) and the frameworks
    (``framework_files.framework_load``). Creates no user. ``dry_run`` reports and writes nothing."""
    catalogue, frameworks = reference_data_read(folder)
    program, report = catalogue_load(catalogue=catalogue, dry_run=dry_run)
    loads = [framework_load(data=data, dry_run=dry_run, actor=actor) for data in frameworks]
    catalogue_folder, frameworks_folder = reference_data_folders(folder)
    return ReferenceDataLoad(catalogue_folder, frameworks_folder, program, catalogue, report, loads)
