"""Writes of the assessments app, split by feature; import them from here."""

from .baselines import latest_diagnostic_ids, refresh_current_baselines  # noqa: F401
from .diagnostics import (  # noqa: F401
    AnswerItemsInvalid,
    diagnostic_answers_save,
    diagnostic_delete,
    diagnostic_publish,
    diagnostic_reopen,
    diagnostic_schedule,
    diagnostic_submit,
    diagnostic_update,
    diagnostic_validate,
    incomplete_dimensions,
)
from .framework_files import (  # noqa: F401
    DataFileError,
    FrameworkLoad,
    framework_data,
    framework_export,
    framework_filename,
    framework_load,
    framework_parse,
    framework_read,
    frameworks_read,
)
from .frameworks import (  # noqa: F401
    RESCORABLE,
    framework_check_usable,
    framework_errors,
    framework_new_version,
    framework_rescore,
    framework_rescore_part_done,
    framework_rescore_start,
    framework_specs,
)
from .reference_data import ReferenceDataLoad, reference_data_load, reference_data_read  # noqa: F401
from .results import diagnostic_score, diagnostics_score, explanation, summary  # noqa: F401
