"""A seeded report data set built with the factories, and its inputs as plain Python records.

Tests compute every expected figure from ``ReportData.suppliers`` etc. (plain dicts), never with
the selectors they check.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from assessments.models import DimensionScore
from assessments.services import refresh_current_baselines
from support.models import Attendance, Course, Enrolment, Participant, Provider, TrainingSession, Visit
from tests.assessments.factories import DiagnosticFactory, DimensionFactory, FrameworkFactory
from tests.cohorts.factories import CandidateFactory, CohortFactory
from tests.programs.factories import (
    AnchorCompanyFactory,
    CriticalSupplyAreaFactory,
    ProgramFactory,
    RegionFactory,
    StateFactory,
)
from tests.suppliers.factories import SupplierFactory

STATES = [
    ("05", "Coahuila", "COA", "norte"),
    ("19", "Nuevo León", "NLE", "norte"),
    ("11", "Guanajuato", "GUA", "bajio"),
    ("22", "Querétaro", "QUE", "bajio"),
    ("21", "Puebla", "PUE", "centro"),
    ("31", "Yucatán", "YUC", "resto"),
]
REGIONS = [("norte", "Norte", 1), ("bajio", "Bajío", 2), ("centro", "Centro", 3), ("resto", "Resto", 4)]
DIMENSIONS = [("quality", 1), ("production", 2), ("finance", 3)]
SIZES = ["micro", "pequena", "mediana"]
SECTORS = ["industria", "comercio", "servicios"]
STATUSES = ["verified"] * 7 + ["submitted", "rejected", "draft", "duplicate"]


def level_for(score: Decimal) -> int:
    return min(5, int(score // 20) + 1)


@dataclass
class ReportData:
    program: object
    cohort: object
    framework: object
    areas: list = field(default_factory=list)
    anchors: list = field(default_factory=list)
    anchor_areas: dict = field(default_factory=dict)  # anchor name -> set of area codes
    suppliers: list = field(default_factory=list)  # dicts: id, status, state, region, size, ...
    diagnostics: list = field(default_factory=list)  # dicts: id, supplier, baseline, status, overall, level, dims, date
    candidates: list = field(default_factory=list)  # dicts: id, supplier, status, growth, in_proposal
    support: list = field(default_factory=list)  # dicts: candidate, kind, hours, status (visit or attendance)
    providers: dict = field(default_factory=dict)  # provider / course made once per data set


def build_report_data(n_suppliers: int = 45, seed: int = 7, cohort=None, program=None) -> ReportData:
    rnd = random.Random(seed)
    program = program or ProgramFactory()
    regions = {code: RegionFactory(code=code, name_es=name, order=order) for code, name, order in REGIONS}
    states = {
        code: StateFactory(code=code, name=name, abbreviation=abbr, region=regions[region])
        for code, name, abbr, region in STATES
    }
    framework = FrameworkFactory()
    dims = {
        code: DimensionFactory(framework=framework, code=code, order=order, weight=Decimal("33.33"))
        for code, order in DIMENSIONS
    }
    existing = {a.code: a for a in program.supply_areas.all()}
    areas = [
        existing.get(f"A{i:02d}") or CriticalSupplyAreaFactory(program=program, code=f"A{i:02d}") for i in range(1, 8)
    ]
    known = {a.name: a for a in program.anchors.all()}
    anchors = [known.get(f"Ancla {i}") or AnchorCompanyFactory(program=program, name=f"Ancla {i}") for i in range(1, 4)]
    data = ReportData(program=program, cohort=None, framework=framework, areas=areas, anchors=anchors)
    for i, anchor in enumerate(anchors):
        demanded = areas[i * 2 : i * 2 + 3]
        anchor.supply_areas.set(demanded)
        data.anchor_areas[anchor.name] = {a.code for a in demanded}
    cohort = cohort or CohortFactory(program=program)
    data.cohort = cohort
    for n in range(n_suppliers):
        state = STATES[rnd.randrange(len(STATES))]
        status = STATUSES[rnd.randrange(len(STATUSES))]
        registered_at = timezone.make_aware(datetime.datetime(2025, rnd.randint(1, 6), rnd.randint(2, 27), 12))
        sup_areas = rnd.sample(areas[:6], rnd.randint(0, 2))  # area A07 is never served
        supplier = SupplierFactory(
            program=program,
            state=states[state[0]],
            status="rejected" if status == "duplicate" else status,
            size=SIZES[rnd.randrange(3)],
            sector=SECTORS[rnd.randrange(3)],
            submitted_at=None if status == "draft" else registered_at,
        )
        if status == "duplicate":
            type(supplier).objects.filter(pk=supplier.pk).update(status=status, duplicate_of=supplier.pk)
        supplier.supply_areas.set(sup_areas)
        rec = {
            "id": supplier.pk,
            "status": status,
            "state": state[0],
            "region": state[3],
            "size": supplier.size,
            "sector": supplier.sector,
            "areas": {a.code for a in sup_areas},
            "registered_at": registered_at if status != "draft" else supplier.created_at,
            "obj": supplier,
        }
        data.suppliers.append(rec)
        if status not in ("verified", "submitted"):
            continue
        # a baseline diagnostic (sometimes not yet scored, sometimes an older one first)
        diag_status = "scored" if rnd.random() < 0.85 else "in_progress"
        if rnd.random() < 0.2:
            _diagnostic(data, rnd, supplier, dims, "scored", datetime.date(2024, 11, 1), None)
        baseline = _diagnostic(data, rnd, supplier, dims, diag_status, datetime.date(2025, 3, 1), None)
        if status != "verified" or diag_status != "scored":
            continue
        roll = rnd.random()
        cstatus = (
            "selected"
            if roll < 0.5
            else ("not_selected" if roll < 0.8 else ("waitlisted" if roll < 0.93 else "withdrawn"))
        )
        growth = Decimal(rnd.randint(2000, 9500)) / 100
        cand = CandidateFactory(
            cohort=cohort,
            supplier=supplier,
            status=cstatus,
            growth_index=growth,
            in_proposal=cstatus == "selected" or rnd.random() < 0.3,
            growth_parts={
                "maturity": float(growth) * 0.4,
                "alignment": float(growth) * 0.25,
                "growth": float(growth) * 0.25,
                "certifications": float(growth) * 0.1,
            },
            decision_reason=f"Razón {n}",
        )
        data.candidates.append(
            {
                "id": cand.pk,
                "supplier": supplier.pk,
                "status": cstatus,
                "growth": growth,
                "in_proposal": cand.in_proposal,
                "obj": cand,
            }
        )
        if cstatus == "selected":
            if rnd.random() < 0.6:
                _diagnostic(data, rnd, supplier, dims, "validated", datetime.date(2025, 11, 1), baseline)
            for _ in range(rnd.randint(0, 3)):
                _support(data, rnd, cand)
    # The factories write diagnostics directly (not through scoring): set the current-baseline flag
    # the way every scoring / reopen / update path does.
    refresh_current_baselines(supplier_ids=[s["id"] for s in data.suppliers])
    return data


def _support(data, rnd, cand):
    """A consulting or mentoring visit in some state, or a training session the SME attends (or not)."""
    if "provider" not in data.providers:
        data.providers["provider"] = Provider.objects.create(program=data.program, kind="consultant", name="Asesor")
        data.providers["course"] = Course.objects.create(cohort=cand.cohort, title="Core tools")
    provider, course = data.providers["provider"], data.providers["course"]
    hours = Decimal(rnd.randint(1, 40))
    kind = rnd.choice(["consulting", "mentoring", "training"])
    day = datetime.date(2025, 12, 1) + datetime.timedelta(days=rnd.randint(0, 60))
    if kind == "training":
        start = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
        session = TrainingSession.objects.create(
            course=course, starts_at=start, ends_at=start + datetime.timedelta(hours=int(hours)), online=True
        )
        enrolment = Enrolment.objects.get_or_create(course=course, candidate=cand)[0]
        participant = enrolment.participants.first() or Participant.objects.create(enrolment=enrolment, name="Ana")
        status = rnd.choice(["present", "present", "absent", "excused"])
        Attendance.objects.create(session=session, participant=participant, status=status)
    else:
        status = rnd.choice(["confirmed", "confirmed", "logged", "disputed", "rejected"])
        Visit.objects.create(
            provider=provider,
            candidate=cand,
            kind=kind,
            status=status,
            date=day,
            hours=hours,
            dispute_reason="No fue así" if status == "disputed" else "",
        )
    data.support.append({"candidate": cand.pk, "kind": kind, "hours": hours, "status": status})


def _diagnostic(data, rnd, supplier, dims, status, date, baseline):
    scored = status in ("scored", "validated")
    scores = {code: (Decimal(rnd.randint(1000, 9900)) / 100 if scored else None) for code in dims}
    if scored and rnd.random() < 0.1:
        scores["finance"] = None  # an incomplete dimension: no score
    overall = None
    if scored:
        present = [s for s in scores.values() if s is not None]
        overall = (sum(present) / len(present)).quantize(Decimal("0.01"))
    diag = DiagnosticFactory(
        supplier=supplier,
        framework=data.framework,
        status=status,
        scheduled_for=date,
        baseline=baseline,
        overall_score=overall,
        maturity_level=level_for(overall) if overall is not None else None,
    )
    for code, dim in dims.items():
        DimensionScore.objects.create(
            diagnostic=diag, dimension=dim, score=scores[code], is_complete=scores[code] is not None
        )
    # ... and what scoring writes with the rows (Diagnostic.scores_by_dimension), as scoring writes it.
    diag.scores_by_dimension = {code: None if score is None else f"{score:.2f}" for code, score in scores.items()}
    diag.save(update_fields=["scores_by_dimension"])
    data.diagnostics.append(
        {
            "id": diag.pk,
            "supplier": supplier.pk,
            "status": status,
            "date": date,
            "baseline": baseline.pk if baseline else None,
            "overall": overall,
            "level": diag.maturity_level,
            "dims": scores,
        }
    )
    return diag
