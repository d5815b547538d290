"""Cohort selection: choose K candidates maximising total growth potential.

Pure Python (no Django). See :mod:`cohorts.selection.model` for the maths
and the area-counting semantics, :func:`solve_exact` for the CP-SAT optimizer,
:func:`solve_greedy` for the baseline and :func:`explain_infeasibility` for
the reasons given when no cohort exists.
"""

from .exact import solve_exact
from .explain import candidate_reasons, explain_infeasibility
from .greedy import solve_greedy
from .model import Message, SelectionCandidate, SelectionProblem, SelectionResult

__all__ = [
    "Message",
    "SelectionCandidate",
    "SelectionProblem",
    "SelectionResult",
    "candidate_reasons",
    "explain_infeasibility",
    "solve_exact",
    "solve_greedy",
]
