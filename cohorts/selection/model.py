"""Data types of the cohort-selection optimizer (pure Python, no Django).

The optimisation problem
------------------------
Given candidates ``i`` with growth potential ``s_i``, choose ``x_i in {0, 1}`` to

    maximise   sum_i s_i * x_i
    subject to K <= sum_i x_i <= K_max                         (cohort size range)
               sum_i x_i = K  or  s_i >= floor for every selected i   (growth floor)
               area_min[a] <= sum_{i supplies a} x_i <= area_max[a]   (each area a)
               sum_{i in state t} x_i <= state_cap[t]          (each capped state t)
               sum_{i in region r} x_i <= region_cap[r]        (each capped region r)
               x_i = 1 if i is pinned
               x_i = 0 if i is excluded, or objected to by an anchor and not pinned.

Area counting semantics (coverage model): a selected candidate counts once
toward *every* supply area it supplies. An SME that supplies stamping and
plastics really adds capacity to both, and the anchors of both areas review it,
so it must count for both minimums; for the same reason it uses a place in
both maximums. The alternative, an assignment model where each selected
candidate is credited to exactly one of its areas, would need one extra
variable per (candidate, area) pair (up to 4x the model), would make the
maxima easier to dodge by assigning a candidate elsewhere, and is harder to
explain to an SME ("you were counted for area X but not Y").

Cohort size range and floor: the cohort has at least ``K`` (``k``) members;
beyond that minimum it grows, up to ``K_max`` (``k_max``), only with
candidates whose score is at or above ``floor``. Ranking the selected
candidates by score, the ones past the K-th are the additions, and the lowest
of them must reach the floor; so a cohort larger than K has every member at or
above the floor, and a cohort that needs a candidate below the floor (say for
an area minimum, or because staff pinned it) stays at K. ``k_max`` ``None``
means exactly K; ``floor`` ``None`` means no floor.

Areas, states and regions without an entry in the limit dictionaries are
unconstrained.

Every user-facing text is a :class:`Message`: a ``str`` whose value is the
English rendering, and which also carries its untranslated ``template`` and
``params`` so that the Django layer can translate it with
``gettext(message.template) % message.params``. Templates are wrapped in
:func:`gettext_noop` so that ``makemessages`` extracts them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

CandidateId = int | str
Score = Decimal | float | int
Status = Literal["optimal", "feasible", "infeasible"]


def gettext_noop(message: str) -> str:
    """Mark a template for translation extraction without translating it."""
    return message


class Message(str):
    """A human-readable English text that remembers how to translate itself.

    ``str(message)`` is ``template % params``; ``message.template`` and
    ``message.params`` let a caller render it in another language.
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Message:
        text = template % params if params else template
        obj = super().__new__(cls, text)
        obj.template = template
        obj.params = params
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep pickling (e.g. through Celery result backends) working.
        return (_rebuild_message, (self.template, self.params))


def _rebuild_message(template: str, params: dict[str, Any]) -> Message:
    return Message(template, **params)


def as_decimal(score: Score) -> Decimal:
    """Return ``score`` as an exact Decimal (floats through their shortest repr)."""
    if isinstance(score, Decimal):
        value = score
    elif isinstance(score, float):
        value = Decimal(repr(score))
    elif isinstance(score, int):
        value = Decimal(score)
    else:
        raise TypeError(f"score must be Decimal, float or int, not {type(score).__name__}")
    if not value.is_finite():
        raise ValueError(f"score must be finite, got {score!r}")
    return value


@dataclass(frozen=True, slots=True)
class SelectionCandidate:
    """One SME that may join the cohort.

    ``areas`` are the supply-area codes it supplies, ``state`` its INEGI state
    code ("01".."32") and ``region`` the region that state belongs to.
    ``objected`` means an anchor company objected to it; that bars it unless
    program staff pinned it.
    """

    id: CandidateId
    score: Score
    areas: frozenset[str]
    state: str
    region: str
    pinned: bool = False
    excluded: bool = False
    objected: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.areas, frozenset):
            object.__setattr__(self, "areas", frozenset(self.areas))

    @property
    def selectable(self) -> bool:
        """Whether no rule bars the candidate (limits not considered)."""
        return not self.excluded and (self.pinned or not self.objected)


def _check_limits(name: str, limits: Mapping[str, int]) -> dict[str, int]:
    checked = dict(limits)
    for key, value in checked.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name}[{key!r}] must be a non-negative int, got {value!r}")
    return checked


@dataclass(frozen=True)
class SelectionProblem:
    """A cohort-selection instance; see the module docstring for the maths."""

    candidates: Sequence[SelectionCandidate]
    k: int
    area_min: Mapping[str, int] = field(default_factory=dict)
    area_max: Mapping[str, int] = field(default_factory=dict)
    state_cap: Mapping[str, int] = field(default_factory=dict)
    region_cap: Mapping[str, int] = field(default_factory=dict)
    k_max: int | None = None
    floor: Score | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "candidates", tuple(self.candidates))
        if isinstance(self.k, bool) or not isinstance(self.k, int) or self.k < 0:
            raise ValueError(f"k must be a non-negative int, got {self.k!r}")
        if self.k_max is not None and (isinstance(self.k_max, bool) or not isinstance(self.k_max, int)):
            raise ValueError(f"k_max must be an int, got {self.k_max!r}")
        if self.k_max is not None and self.k_max < self.k:
            raise ValueError(f"k_max ({self.k_max}) must be at least k ({self.k})")
        if self.floor is not None:
            object.__setattr__(self, "floor", as_decimal(self.floor))
        for name in ("area_min", "area_max", "state_cap", "region_cap"):
            object.__setattr__(self, name, _check_limits(name, getattr(self, name)))
        seen: set[CandidateId] = set()
        for candidate in self.candidates:
            if candidate.id in seen:
                raise ValueError(f"duplicate candidate id {candidate.id!r}")
            seen.add(candidate.id)

    @property
    def upper(self) -> int:
        """The largest cohort allowed (``k_max``, or ``k`` when no range is given)."""
        return self.k if self.k_max is None else self.k_max

    def above_floor(self, candidate: SelectionCandidate) -> bool:
        """Whether ``candidate`` may be one of the additions beyond the minimum."""
        return self.floor is None or as_decimal(candidate.score) >= self.floor

    def fixed(self, k: int, candidates: Sequence[SelectionCandidate] | None = None) -> SelectionProblem:
        """The same limits with a cohort of exactly ``k`` (optionally over fewer candidates).

        Asked again with the same ``k`` and the same ``candidates`` object, it returns the same problem:
        the exact optimizer and the greedy baseline then share its compact form (``compact.compact``
        keeps it on the problem)."""
        made: dict = self.__dict__.setdefault("_fixed", {})
        key = (k, None if candidates is None else id(candidates))
        found = made.get(key)
        if found is not None and found[0] is candidates:
            return found[1]
        problem = SelectionProblem(
            candidates=self.candidates if candidates is None else candidates,
            k=k,
            area_min=self.area_min,
            area_max=self.area_max,
            state_cap=self.state_cap,
            region_cap=self.region_cap,
        )
        made[key] = (candidates, problem)  # the candidates are kept: their id cannot be reused meanwhile
        return problem

    def floor_pool(self) -> tuple[SelectionCandidate, ...]:
        """The candidates at or above the floor (every candidate without a floor), computed once."""
        pool = self.__dict__.get("_floor_pool")
        if pool is None:
            pool = tuple(c for c in self.candidates if self.above_floor(c))
            self.__dict__["_floor_pool"] = pool
        return pool


@dataclass
class SelectionResult:
    """The outcome of one optimizer run.

    ``selected`` lists the chosen ids by decreasing score (ties keep the input
    order). ``objective`` is the exact Decimal sum of their scores.
    ``bound`` is the proven upper bound on the objective (equal to it when
    optimal, ``None`` when unknown). ``explanation`` says why no cohort was
    found; ``reasons`` gives every candidate a sentence the SME can be told.
    ``stats`` holds sizes useful to diagnose performance. ``size_note`` says
    why the cohort has the size it has when a range was given.
    """

    status: Status
    selected: tuple[CandidateId, ...]
    objective: Decimal
    solver: str
    seconds: float
    explanation: list[str] = field(default_factory=list)
    reasons: dict[CandidateId, str] = field(default_factory=dict)
    bound: Decimal | None = None
    stats: dict[str, float] = field(default_factory=dict)
    size_note: str = ""

    @property
    def feasible(self) -> bool:
        return self.status != "infeasible"


def score_scale(scores: Sequence[Decimal], max_decimals: int = 6) -> int:
    """Smallest power of ten that makes every score an integer.

    Scores with more than ``max_decimals`` decimals are rounded at that
    precision in the solver (the reported objective stays exact).
    """
    decimals = 0
    for score in scores:
        exponent = score.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > decimals:
            decimals = min(-exponent, max_decimals)
            if decimals == max_decimals:
                break
    return 10**decimals


def scale_score(score: Decimal, scale: int) -> int:
    """``round(score * scale)`` as an int (exact when ``scale`` suffices)."""
    return int((score * scale).to_integral_value())


def order_ids(
    problem: SelectionProblem, indices: Sequence[int], scores: Sequence[Decimal] | None = None
) -> tuple[CandidateId, ...]:
    """Candidate ids of ``indices`` by decreasing score, ties by input order."""
    cands = problem.candidates
    score = scores.__getitem__ if scores is not None else (lambda i: as_decimal(cands[i].score))
    return tuple(cands[i].id for i in sorted(indices, key=lambda i: (-score(i), i)))


def total_score(problem: SelectionProblem, indices: Sequence[int], scores: Sequence[Decimal] | None = None) -> Decimal:
    """Exact sum of the scores of ``indices``."""
    if scores is None:
        scores = [as_decimal(c.score) for c in problem.candidates]
    return sum((scores[i] for i in indices), Decimal(0))
