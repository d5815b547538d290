"""What the results page says, shaped from ``selectors.Results`` without further queries: the
strongest and weakest dimensions, each supply area as "meets / still needs" with names instead of
codes, the rows of the chart's text alternative and the next steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .radar import SCORE_COLOUR, radar_svg, reference_colour

SUMMARY_COUNT = 2  # how many strongest and weakest dimensions the summary names


@dataclass
class Requirement:
    name: str
    required: Decimal
    actual: Decimal | None

    @property
    def shortfall(self) -> Decimal:
        return self.required - (self.actual or Decimal(0))


@dataclass
class AreaFit:
    """One supply area against the SME's scores and certifications."""

    name: str
    meets: bool
    met: list[Requirement] = field(default_factory=list)
    gaps: list[Requirement] = field(default_factory=list)
    certifications_held: list[str] = field(default_factory=list)
    certifications_missing: list[str] = field(default_factory=list)

    @property
    def met_count(self) -> int:
        return len(self.met) + len(self.certifications_held)

    @property
    def total_count(self) -> int:
        return self.met_count + len(self.gaps) + len(self.certifications_missing)


def strongest_and_weakest(scores: list, count: int = SUMMARY_COUNT) -> tuple[list, list]:
    """The highest and lowest scored dimensions, ``count`` of each, or half of the scored ones each when
    there are fewer than ``2 * count`` (no dimension is both; one alone is neither). A dimension without a
    score is neither; ties go by the framework's order."""
    scored = [s for s in scores if s.score is not None]
    take = min(count, len(scored) // 2)
    strongest = sorted(scored, key=lambda s: (-s.score, s.dimension.order))[:take]
    rest = [s for s in scored if s not in strongest]
    weakest = sorted(rest, key=lambda s: (s.score, s.dimension.order))[:take]
    return strongest, weakest


def area_fits(results) -> list[AreaFit]:
    """Each alignment as plain facts: the requirements met and missed by dimension name, and the
    certifications held and missing by name (the area's required certifications are prefetched)."""
    names = {s.dimension.code: s.dimension.name for s in results.scores}
    actual = {s.dimension.code: s.score for s in results.scores}
    fits = []
    for alignment in results.alignments:
        area = alignment.area
        gap_codes = {gap["dimension"] for gap in alignment.gaps}
        fit = AreaFit(name=area.name, meets=alignment.meets_requirements)
        for requirement in sorted(area.requirements.all(), key=lambda r: r.dimension_code):
            row = Requirement(
                names.get(requirement.dimension_code, requirement.dimension_code),
                requirement.minimum_score,
                actual.get(requirement.dimension_code),
            )
            (fit.gaps if requirement.dimension_code in gap_codes else fit.met).append(row)
        certifications = {c.code: c.name for c in area.required_certifications.all()}
        missing = set(alignment.missing_certifications)
        fit.certifications_missing = sorted(certifications.get(code, code) for code in missing)
        fit.certifications_held = sorted(name for code, name in certifications.items() if code not in missing)
        fits.append(fit)
    return fits


def next_steps(results, fits: list[AreaFit], weakest: list) -> list[str]:
    """What the SME can do now, in order."""
    steps = []
    gap_names = []
    for fit in fits:
        for gap in fit.gaps:
            if gap.name not in gap_names:
                gap_names.append(gap.name)
    if gap_names:
        steps.append(
            _("Work first on %(dimensions)s: below you will see, question by question, what the next level asks for.")
            % {"dimensions": ", ".join(gap_names)}
        )
    elif weakest:
        steps.append(
            _("To keep improving, start with %(dimensions)s, your lowest scores.")
            % {"dimensions": ", ".join(s.dimension.name for s in weakest)}
        )
    missing = sorted({name for fit in fits for name in fit.certifications_missing})
    if missing:
        steps.append(
            _("Obtain the certification %(names)s; once you hold it, add it to your company profile.")
            % {"names": ", ".join(missing)}
        )
    met_areas = [fit.name for fit in fits if fit.meets]
    if met_areas:
        steps.append(
            _("You meet what %(areas)s asks for: program staff take these results into account to form the cohort.")
            % {"areas": ", ".join(met_areas)}
        )
    if not fits:
        steps.append(
            _("Choose in your company profile the supply areas you want to serve, to compare yourself with them.")
        )
    steps.append(_("Program staff will contact you to agree on a development plan; you may print this summary for it."))
    return steps


def chart_rows(results) -> list[dict]:
    """The chart's text alternative: each dimension's score and the minimum each wanted area asks."""
    rows = []
    for score in results.scores:
        code = score.dimension.code
        minimums = [results.requirements.get(area.pk, {}).get(code) for area in results.wanted_areas]
        rows.append(
            {
                "name": score.dimension.name,
                "score": score.score,
                "minimums": minimums,
                "meets": all(m is None or (score.score is not None and score.score >= m) for m in minimums),
                "rated": score.rated_count,
                "not_applicable": score.na_count,
                "total": score.total_count,
                "complete": score.is_complete,
            }
        )
    return rows


def results_context(diagnostic, results, *, for_sme: bool) -> dict:
    codes = [s.dimension.code for s in results.scores]
    references = [
        (area.name, [results.requirements[area.pk].get(code) for code in codes]) for area in results.wanted_areas
    ]
    radar = radar_svg(
        [s.dimension.name for s in results.scores],
        [s.score for s in results.scores],
        references,
        title=_("Maturity by dimension against the requirements of your supply areas"),
    )
    strongest, weakest = strongest_and_weakest(results.scores)
    fits = area_fits(results)
    return {
        "diagnostic": diagnostic,
        "results": results,
        "radar": radar,
        "legend": [{"name": _("Your score") if for_sme else _("Score"), "colour": SCORE_COLOUR, "dashed": False}]
        + [
            {"name": _("Minimum for %(area)s") % {"area": name}, "colour": reference_colour(n), "dashed": True}
            for n, (name, _values) in enumerate(references)
        ],
        "strongest": strongest,
        "weakest": weakest,
        "fits": fits,
        "chart_rows": chart_rows(results),
        "steps": next_steps(results, fits, weakest),
        "for_sme": for_sme,
        "show_comparison": bool(results.comparison) and (not for_sme or diagnostic.baseline.published_at),
    }
