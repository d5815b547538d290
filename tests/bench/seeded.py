"""The demo seed run up to its first cohort, for tests of what the seed does after it."""

from demo.builder import DemoBuilder


def through_first_cohort(size: int) -> tuple[DemoBuilder, object]:
    """A quiet ``DemoBuilder`` of ``size`` SMEs that has written the reference data, the logins, the SMEs,
    their diagnostics and the 2025 cohort with its decisions, as the seed does: (builder, program)."""
    builder = DemoBuilder(size=size, log=lambda *args: None)
    program = builder.reference()
    builder.users(program)
    _created, ids = builder.suppliers(program)
    builder.diagnostics(ids)
    builder.sme_login()
    builder.cohort(program)
    return builder, program
