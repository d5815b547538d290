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
from .frameworks import (  # noqa: F401
    RESCORABLE,
    framework_check_usable,
    framework_errors,
    framework_import,
    framework_new_version,
    framework_rescore,
    framework_specs,
)
from .results import diagnostic_score, diagnostics_score, explanation, summary  # noqa: F401
