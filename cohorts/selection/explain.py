"""Human-readable explanations: why no cohort exists, why each candidate is in or out.

:func:`explain_infeasibility` first runs counting checks, each a necessary
condition for feasibility that names the constraint it proves impossible:

* a candidate pinned and excluded at once; an area minimum above its maximum;
* more pinned candidates than K, or than a state, region or area maximum;
* fewer selectable candidates than K;
* state/region capacity ``sum_r min(region_cap_r, sum_{t in r} min(state_cap_t, n_t)) < K``
  (``n_t`` = selectable candidates in state ``t``);
* area maxima: ``|{i : i supplies no capped area}| + sum_a area_max_a < K``;
* per area: fewer eligible suppliers than its minimum, a minimum above K, the
  same capacity formula restricted to the area's suppliers below its minimum,
  or a remaining minimum above the places left after the pinned candidates;
* coverage: ``sum_a area_min_a`` exceeds the most area places K candidates can
  cover (the K largest ``|areas(i) & min-areas|``).

When none fires it says so and asks CP-SAT for a minimal conflicting set of
constraint groups (``conflicts.py``).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from .compact import Compact, compact
from .conflicts import find_conflict
from .model import CandidateId, Message, SelectionCandidate, SelectionProblem, gettext_noop


def _capacity(counts: Counter[tuple[str, str]], problem: SelectionProblem) -> int:
    """Most candidates selectable from ``counts[(region, state)]`` under the caps."""
    per_region: Counter[str] = Counter()
    for (region, state), n in counts.items():
        per_region[region] += min(n, problem.state_cap.get(state, n))
    return sum(min(n, problem.region_cap.get(region, n)) for region, n in per_region.items())


def _pinned_checks(problem: SelectionProblem) -> list[Message]:
    out: list[Message] = []
    pinned = [c for c in problem.candidates if c.pinned]
    for c in pinned:
        if c.excluded:
            out.append(Message(gettext_noop("Candidate %(id)s is both pinned and excluded."), id=c.id))
    if len(pinned) > problem.k:
        out.append(
            Message(
                gettext_noop("%(n)d candidates are pinned but the cohort size is K=%(k)d."), n=len(pinned), k=problem.k
            )
        )
    for limits, key_of, template in (
        (
            problem.state_cap,
            lambda c: [c.state],
            gettext_noop("Pinned candidates in state %(key)s (%(n)d) exceed the state cap of %(cap)d."),
        ),
        (
            problem.region_cap,
            lambda c: [c.region],
            gettext_noop("Pinned candidates in region '%(key)s' (%(n)d) exceed the region cap of %(cap)d."),
        ),
        (
            problem.area_max,
            lambda c: sorted(c.areas),
            gettext_noop("Pinned candidates supplying area '%(key)s' (%(n)d) exceed its maximum of %(cap)d."),
        ),
    ):
        counts = Counter(key for c in pinned for key in key_of(c))
        for key in sorted(counts):
            if key in limits and counts[key] > limits[key]:
                out.append(Message(template, key=key, n=counts[key], cap=limits[key]))
    return out


def _simple_checks(problem: SelectionProblem) -> list[Message]:
    out = _pinned_checks(problem)
    k = problem.k
    for area in sorted(problem.area_min):
        maximum = problem.area_max.get(area)
        if maximum is not None and problem.area_min[area] > maximum:
            out.append(
                Message(
                    gettext_noop("Supply area '%(area)s' has a minimum of %(min)d above its maximum of %(max)d."),
                    area=area,
                    min=problem.area_min[area],
                    max=maximum,
                )
            )

    cp = compact(problem)
    eligible = [problem.candidates[i] for i in (*cp.pinned, *cp.free)]
    if len(eligible) < k:
        reasons = Counter(m.template for m in cp.dropped.values())
        barred = reasons[gettext_noop("Not selected: excluded by program staff.")]
        objected = reasons[gettext_noop("Not selected: an anchor company objected to it.")]
        out.append(
            Message(
                gettext_noop(
                    "K=%(k)d but only %(n)d candidates are selectable (%(excluded)d excluded, %(objected)d objected "
                    "to by an anchor, %(full)d in a state, region or area with no place left)."
                ),
                k=k,
                n=len(eligible),
                excluded=barred,
                objected=objected,
                full=len(cp.dropped) - barred - objected,
            )
        )
        return out

    places = Counter((c.region, c.state) for c in eligible)
    capacity = _capacity(places, problem)
    if capacity < k:
        regions = {c.region for c in eligible}
        states = {c.state for c in eligible}
        if regions <= problem.region_cap.keys() and sum(problem.region_cap[r] for r in regions) < k:
            out.append(
                Message(
                    gettext_noop("The region caps add up to %(n)d, fewer than K=%(k)d."),
                    n=sum(problem.region_cap[r] for r in regions),
                    k=k,
                )
            )
        elif states <= problem.state_cap.keys() and sum(problem.state_cap[s] for s in states) < k:
            out.append(
                Message(
                    gettext_noop("The state caps add up to %(n)d, fewer than K=%(k)d."),
                    n=sum(problem.state_cap[s] for s in states),
                    k=k,
                )
            )
        else:
            out.append(
                Message(
                    gettext_noop("State and region caps allow at most %(n)d selected candidates, fewer than K=%(k)d."),
                    n=capacity,
                    k=k,
                )
            )

    capped = problem.area_max.keys()
    free_of_max = sum(1 for c in eligible if not (c.areas & capped))
    area_room = free_of_max + sum(problem.area_max[a] for a in capped)
    if area_room < k:
        out.append(
            Message(
                gettext_noop("The supply-area maximums allow at most %(n)d selected candidates, fewer than K=%(k)d."),
                n=area_room,
                k=k,
            )
        )

    for area in sorted(problem.area_min):
        minimum = problem.area_min[area]
        suppliers = [c for c in eligible if area in c.areas]
        if minimum > k:
            out.append(
                Message(
                    gettext_noop("Supply area '%(area)s' needs at least %(min)d but K=%(k)d."),
                    area=area,
                    min=minimum,
                    k=k,
                )
            )
        elif len(suppliers) < minimum:
            out.append(
                Message(
                    gettext_noop(
                        "Supply area '%(area)s' needs at least %(min)d but only %(n)d eligible candidates supply it."
                    ),
                    area=area,
                    min=minimum,
                    n=len(suppliers),
                )
            )
        elif (room := _capacity(Counter((c.region, c.state) for c in suppliers), problem)) < minimum:
            out.append(
                Message(
                    gettext_noop(
                        "Supply area '%(area)s' needs at least %(min)d but state and region caps allow "
                        "only %(n)d of its %(total)d eligible suppliers."
                    ),
                    area=area,
                    min=minimum,
                    n=room,
                    total=len(suppliers),
                )
            )
        elif not cp.conflict and cp.area_lo[cp.area_names.index(area)] > cp.k:
            out.append(
                Message(
                    gettext_noop(
                        "Supply area '%(area)s' still needs %(need)d more after the %(pinned)d pinned "
                        "candidates, but they leave only %(left)d of the K=%(k)d places."
                    ),
                    area=area,
                    need=cp.area_lo[cp.area_names.index(area)],
                    pinned=len(cp.pinned),
                    left=cp.k,
                    k=k,
                )
            )

    mins = {a for a, m in problem.area_min.items() if m > 0}
    need = sum(problem.area_min[a] for a in mins)
    if mins and need > k:
        reach = sum(heapq.nlargest(k, (len(c.areas & mins) for c in eligible)))
        if reach < need:
            out.append(
                Message(
                    gettext_noop(
                        "The supply-area minimums need %(need)d area places in total but K=%(k)d candidates "
                        "can cover at most %(reach)d."
                    ),
                    need=need,
                    k=k,
                    reach=reach,
                )
            )
    return out


def explain_infeasibility(problem: SelectionProblem, *, search: bool = True, time_limit: float = 10.0) -> list[Message]:
    """Reasons why no cohort meets every constraint of ``problem``.

    With ``search`` False only the counting checks run (the list may then be
    empty). Otherwise, when they find nothing, CP-SAT looks for a minimal set
    of conflicting constraints within ``time_limit`` seconds.
    """
    found = _simple_checks(problem)
    if found or not search:
        return found
    result = find_conflict(problem, time_limit=time_limit)
    if result.feasible:
        return [Message(gettext_noop("The constraints can all be met: a cohort exists."))]
    out = [
        Message(
            gettext_noop("No single constraint is impossible on its own; the combination of constraints is infeasible.")
        )
    ]
    if result.feasible is None:
        out.append(
            Message(gettext_noop("The time limit was reached before the conflicting constraints could be identified."))
        )
        return out
    if result.minimal:
        out.append(
            Message(
                gettext_noop(
                    "These constraints cannot all hold together (dropping any one of them makes a cohort possible):"
                )
            )
        )
    else:
        out.append(Message(gettext_noop("These constraints cannot all hold together:")))
    out.extend(Message("- %(item)s", item=group.describe()) for group in result.groups)
    return out


def reasons_for_indices(
    problem: SelectionProblem,
    selected: Sequence[int],
    cp: Compact | None = None,
    override: Mapping[int, Message] | None = None,
) -> dict[CandidateId, str]:
    """Like :func:`candidate_reasons` with positions in ``problem.candidates``. ``override`` gives the
    caller's own reason to candidates left out (by position): theirs is not computed."""
    cands = problem.candidates
    cp = cp or compact(problem)
    chosen = set(selected)
    state_n = Counter(cands[i].state for i in chosen)
    region_n = Counter(cands[i].region for i in chosen)
    area_n = Counter(a for i in chosen for a in cands[i].areas)
    scores = cp.scores
    free_scores = [scores[i] for i in chosen if not cands[i].pinned]
    cut: Decimal | None = min(free_scores) if free_scores else None
    cut_text = str(cut)
    dropped = cp.dropped
    override = override or {}
    below = gettext_noop("Not selected: growth potential %(score)s is below the lowest selected one (%(cut)s).")

    out: dict[CandidateId, str] = {}
    for i, c in enumerate(cands):
        score = scores[i]
        if i in chosen:
            if c.pinned:
                template = (
                    gettext_noop("Selected: pinned by program staff despite an anchor objection.")
                    if c.objected
                    else gettext_noop("Selected: pinned by program staff.")
                )
                out[c.id] = Message(template)
            else:
                out[c.id] = Message(
                    gettext_noop(
                        "Selected: growth potential %(score)s is among the best that meet the cohort's constraints."
                    ),
                    score=str(score),
                )
        elif i in override:
            out[c.id] = override[i]
        elif i in dropped:
            out[c.id] = dropped[i]
        elif cut is None:
            out[c.id] = Message(gettext_noop("Not selected: the cohort was filled by pinned candidates."))
        elif score < cut:
            out[c.id] = Message(below, score=str(score), cut=cut_text)
        else:
            out[c.id] = _blocked_reason(problem, c, score, cut, state_n, region_n, area_n)
    return out


def _blocked_reason(
    problem: SelectionProblem,
    c: SelectionCandidate,
    score: Decimal,
    cut: Decimal,
    state_n: Counter[str],
    region_n: Counter[str],
    area_n: Counter[str],
) -> Message:
    """Reason for a candidate scoring at least the cut-off yet left out."""
    params = {"score": str(score), "cut": str(cut)}
    cap = problem.state_cap.get(c.state)
    if cap is not None and state_n[c.state] >= cap:
        return Message(
            gettext_noop(
                "Not selected: its growth potential %(score)s is at or above the cut-off %(cut)s, but state %(state)s "
                "already has its maximum of %(cap)d selected."
            ),
            state=c.state,
            cap=cap,
            **params,
        )
    cap = problem.region_cap.get(c.region)
    if cap is not None and region_n[c.region] >= cap:
        return Message(
            gettext_noop(
                "Not selected: its growth potential %(score)s is at or above the cut-off %(cut)s, but region "
                "'%(region)s' already has its maximum of %(cap)d selected."
            ),
            region=c.region,
            cap=cap,
            **params,
        )
    for area in sorted(c.areas):
        cap = problem.area_max.get(area)
        if cap is not None and area_n[area] >= cap:
            return Message(
                gettext_noop(
                    "Not selected: its growth potential %(score)s is at or above the cut-off %(cut)s, but supply area "
                    "'%(area)s' already has its maximum of %(cap)d selected."
                ),
                area=area,
                cap=cap,
                **params,
            )
    if score == cut:
        return Message(
            gettext_noop("Not selected: its growth potential %(score)s ties with the cut-off and the cohort was full."),
            **params,
        )
    return Message(
        gettext_noop(
            "Not selected: although its growth potential %(score)s is above the cut-off %(cut)s, lower-scoring "
            "candidates were needed to meet the supply-area minimums."
        ),
        **params,
    )


def candidate_reasons(problem: SelectionProblem, selected: Iterable[CandidateId]) -> dict[CandidateId, str]:
    """A sentence per candidate saying why it is (not) in the cohort ``selected``."""
    wanted = set(selected)
    return reasons_for_indices(problem, [i for i, c in enumerate(problem.candidates) if c.id in wanted])
