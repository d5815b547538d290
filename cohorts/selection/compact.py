"""Reduction of a :class:`SelectionProblem` to a compact, index-based form.

Pinned candidates are taken out of the model and their usage subtracted from
every limit, so that the solvers only decide the *free* candidates:

    K'          = K - |P|
    area_lo[a]  = max(0, area_min[a] - |{p in P : p supplies a}|)
    area_hi[a]  = area_max[a] - |{p in P : p supplies a}|   (may go negative)
    state_hi[t] = state_cap[t] - |{p in P : p in t}|        (same for regions)

A free candidate is dropped (and told why) when a rule bars it (excluded, or
objected and not pinned) or when one of its limits has no place left
(``*_hi == 0``): it could never be selected. ``conflict`` is set when the
pinned candidates alone already break a rule; the problem is then infeasible
and :func:`cohorts.selection.explain.explain_infeasibility` says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .model import Message, SelectionProblem, as_decimal, gettext_noop, scale_score, score_scale


@dataclass
class Compact:
    """The free part of a selection problem, with dense integer indices.

    Lists indexed by *position* (0..n-1) describe the free candidates;
    ``free[p]`` is the index of position ``p`` in ``problem.candidates``;
    ``scores`` holds the exact score of every candidate (by input index).
    Limits use ``None`` for "no limit".
    """

    problem: SelectionProblem
    scores: list[Decimal]
    scale: int
    k: int
    pinned: list[int]
    free: list[int]
    weight: list[int]
    areas_of: list[tuple[int, ...]]
    state_of: list[int]
    region_of: list[int]
    area_names: list[str]
    state_names: list[str]
    region_names: list[str]
    area_lo: list[int]
    area_hi: list[int | None]
    state_hi: list[int | None]
    region_hi: list[int | None]
    dropped: dict[int, Message] = field(default_factory=dict)
    conflict: bool = False

    @property
    def n(self) -> int:
        return len(self.free)

    def members(self) -> tuple[list[list[int]], list[list[int]], list[list[int]]]:
        """Positions of the free candidates per area, per state and per region (computed once: callers
        only read them)."""
        found = self.__dict__.get("_members")
        if found is None:
            found = self.__dict__["_members"] = self._members()
        return found

    def _members(self) -> tuple[list[list[int]], list[list[int]], list[list[int]]]:
        by_area: list[list[int]] = [[] for _ in self.area_names]
        by_state: list[list[int]] = [[] for _ in self.state_names]
        by_region: list[list[int]] = [[] for _ in self.region_names]
        for p in range(self.n):
            for a in self.areas_of[p]:
                by_area[a].append(p)
            by_state[self.state_of[p]].append(p)
            by_region[self.region_of[p]].append(p)
        return by_area, by_state, by_region


class _Index(dict[str, int]):
    """Assigns dense indices to names in order of first appearance."""

    def of(self, name: str) -> int:
        index = self.get(name)
        if index is None:
            index = self[name] = len(self)
        return index

    def names(self) -> list[str]:
        return list(self)


def _remaining(limits: Mapping[str, int], index: _Index, used: list[int]) -> list[int | None]:
    out: list[int | None] = [None] * len(index)
    for name, i in index.items():
        if name in limits:
            out[i] = limits[name] - used[i]
    return out


def compact(problem: SelectionProblem) -> Compact:
    """The compact form of ``problem`` (built in linear time in its size, once per problem: it is kept on
    the problem, which is immutable, and callers only read it)."""
    built = problem.__dict__.get("_compact")
    if built is None:
        built = problem.__dict__["_compact"] = _build(problem)
    return built


def _build(problem: SelectionProblem) -> Compact:
    areas, states, regions = _Index(), _Index(), _Index()
    for name in (*problem.area_min, *problem.area_max):
        areas.of(name)
    cand_areas: list[tuple[int, ...]] = []
    cand_state: list[int] = []
    cand_region: list[int] = []
    # Candidates often share one set of areas (the reader gives them the same frozenset): its indices are
    # sorted once. A set seen before has every area indexed already, so the indices are those assigned in
    # order of first appearance, as when each candidate's areas are looked up.
    area_tuples: dict[frozenset[str], tuple[int, ...]] = {}
    for cand in problem.candidates:
        indices = area_tuples.get(cand.areas)
        if indices is None:
            indices = area_tuples[cand.areas] = tuple(sorted(areas.of(a) for a in cand.areas))
        cand_areas.append(indices)
        cand_state.append(states.of(cand.state))
        cand_region.append(regions.of(cand.region))

    conflict = False
    dropped: dict[int, Message] = {}
    pinned: list[int] = []
    maybe_free: list[int] = []
    area_used = [0] * len(areas)
    state_used = [0] * len(states)
    region_used = [0] * len(regions)
    for i, cand in enumerate(problem.candidates):
        if cand.pinned and cand.excluded:
            conflict = True
            dropped[i] = Message(gettext_noop("Not selected: it is both pinned and excluded by program staff."))
        elif cand.excluded:
            dropped[i] = Message(gettext_noop("Not selected: excluded by program staff."))
        elif cand.objected and not cand.pinned:
            dropped[i] = Message(gettext_noop("Not selected: an anchor company objected to it."))
        elif cand.pinned:
            pinned.append(i)
            for a in cand_areas[i]:
                area_used[a] += 1
            state_used[cand_state[i]] += 1
            region_used[cand_region[i]] += 1
        else:
            maybe_free.append(i)

    area_lo = [0] * len(areas)
    for name, minimum in problem.area_min.items():
        a = areas[name]
        area_lo[a] = max(0, minimum - area_used[a])
    area_hi = _remaining(problem.area_max, areas, area_used)
    state_hi = _remaining(problem.state_cap, states, state_used)
    region_hi = _remaining(problem.region_cap, regions, region_used)
    k = problem.k - len(pinned)
    for name, minimum in problem.area_min.items():
        maximum = problem.area_max.get(name)
        if maximum is not None and minimum > maximum:
            conflict = True
    if k < 0 or any(v is not None and v < 0 for v in (*area_hi, *state_hi, *region_hi)):
        conflict = True

    scores = [as_decimal(c.score) for c in problem.candidates]
    scale = score_scale(scores)
    free: list[int] = maybe_free  # when no limit is full, no candidate is dropped for one
    if any(left is not None and left <= 0 for left in (*area_hi, *state_hi, *region_hi)):
        free, area_names = [], areas.names()
        for i in maybe_free:
            reason = _full_limit(
                problem, i, cand_areas[i], area_hi, state_hi[cand_state[i]], region_hi[cand_region[i]], area_names
            )
            if reason is None:
                free.append(i)
            else:
                dropped[i] = reason
    return Compact(
        problem=problem,
        scores=scores,
        scale=scale,
        k=k,
        pinned=pinned,
        free=free,
        weight=[scale_score(scores[i], scale) for i in free],
        areas_of=[cand_areas[i] for i in free],
        state_of=[cand_state[i] for i in free],
        region_of=[cand_region[i] for i in free],
        area_names=areas.names(),
        state_names=states.names(),
        region_names=regions.names(),
        area_lo=area_lo,
        area_hi=area_hi,
        state_hi=state_hi,
        region_hi=region_hi,
        dropped=dropped,
        conflict=conflict,
    )


def _full_limit(
    problem: SelectionProblem,
    i: int,
    cand_areas: tuple[int, ...],
    area_hi: list[int | None],
    state_left: int | None,
    region_left: int | None,
    area_names: list[str],
) -> Message | None:
    """Why candidate ``i`` can never be selected because a limit is full, if so."""
    cand = problem.candidates[i]
    if state_left is not None and state_left <= 0:
        return Message(
            gettext_noop("Not selected: state %(state)s has no place left (cap %(cap)d, pinned candidates included)."),
            state=cand.state,
            cap=problem.state_cap[cand.state],
        )
    if region_left is not None and region_left <= 0:
        return Message(
            gettext_noop(
                "Not selected: region '%(region)s' has no place left (cap %(cap)d, pinned candidates included)."
            ),
            region=cand.region,
            cap=problem.region_cap[cand.region],
        )
    for a in cand_areas:
        left = area_hi[a]
        if left is not None and left <= 0:
            name = area_names[a]
            return Message(
                gettext_noop(
                    "Not selected: supply area '%(area)s' has no place left "
                    "(maximum %(max)d, pinned candidates included)."
                ),
                area=name,
                max=problem.area_max[name],
            )
    return None
