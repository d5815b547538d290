"""Reads of the assessments app: the fill-in page, progress, results, comparison with a baseline.

Each function costs a fixed number of queries, whatever the number of dimensions, questions,
answers or supply areas.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Field, ForeignObjectRel, Prefetch, Q, QuerySet

from core.audit import history
from core.authentication import TOKEN_USER
from core.models import QueuedTask
from core.rawsql import converted, from_row, model_order
from programs.models import AreaRequirement, CriticalSupplyArea, ProgramStaff
from programs.selectors import scoped, sees_every_program
from suppliers.models import Supplier
from suppliers.rfc import normalize_rfc

from . import scoring
from .models import (
    Answer,
    AreaAlignment,
    Diagnostic,
    Dimension,
    DimensionScore,
    Framework,
    LevelDescriptor,
    MaturityBand,
    Question,
)


def diagnostic_list(user) -> QuerySet[Diagnostic]:
    """The diagnostics of the programs ``user`` works on."""
    return scoped(Diagnostic.objects.all(), user).select_related("supplier", "framework", "assessor", "baseline")


def filter_diagnostics(queryset: QuerySet[Diagnostic], *, q: str = "", status: str = "") -> QuerySet[Diagnostic]:
    """Narrow the staff diagnostics list: by status, and by the SME's legal or trade name or its RFC."""
    if status:
        queryset = queryset.filter(status=status)
    if q:
        rfc = normalize_rfc(q)
        match = Q(supplier__legal_name__icontains=q) | Q(supplier__trade_name__icontains=q)
        queryset = queryset.filter(match | Q(supplier__rfc=rfc) if rfc else match)
    return queryset


DETAIL_FIELDS = (  # what the API representation of a diagnostic reads (DiagnosticSerializer)
    "id",
    "supplier_id",
    "framework_id",
    "assessor_id",
    "baseline_id",
    "scheduled_for",
    "mode",
    "status",
    "overall_score",
    "maturity_level",
    "level_capped",
    "notes",
    "submitted_at",
    "scored_at",
    "validated_at",
    "published_at",
    "version",
)


def diagnostic_detail() -> QuerySet[Diagnostic]:
    """Diagnostics with only the columns their API representation reads (not the score summary, nor the
    supplier's whole row): the supplier's names and the assessor's username by two joins. The ORM
    definition of what ``diagnostic_detail_get`` reads by prebuilt SQL (tests hold the two equal)."""
    return Diagnostic.objects.select_related("supplier", "assessor").only(
        "supplier__legal_name",
        "supplier__trade_name",
        "assessor__username",
        *DETAIL_FIELDS[1:],
    )


_SUPPLIER_FIELDS = ("id", "legal_name", "trade_name")
_USER_FIELDS = ("id", "username")


def _column(field: "Field[Any, Any] | ForeignObjectRel") -> str:
    """The quoted column of a concrete field (a reverse relation has none)."""
    assert isinstance(field, Field) and field.column is not None, field
    return connection.ops.quote_name(field.column)


@cache
def _detail_sql(scope: str = "") -> str:
    """``diagnostic_detail().filter(pk=...)`` as SQL, built once per process (compiling
    the two-join query was a third of an API detail request). Columns: DETAIL_FIELDS, then the supplier's
    id, legal and trade names, then the assessor's id and username, each in its model's field order.
    ``scope="member"``: only when the SME's program is one of a staff member's active memberships (a second
    parameter, the user's id; ``programs.selectors.scoped`` in SQL); ``scope="token"``: the same for the
    user of the token statement it is read with (``core.authentication.read_with_token``), unless that user
    is a superuser."""
    qn = connection.ops.quote_name
    d, s, u, m = Diagnostic._meta, Supplier._meta, get_user_model()._meta, ProgramStaff._meta
    columns = [f"d.{_column(d.get_field(name))}" for name in model_order(Diagnostic, DETAIL_FIELDS)]
    columns += [f"s.{_column(s.get_field(name))}" for name in model_order(Supplier, _SUPPLIER_FIELDS)]
    columns += [f"u.{_column(u.get_field(name))}" for name in model_order(get_user_model(), _USER_FIELDS)]
    token_user = f"{TOKEN_USER}.{_column(u.pk)}"
    member = (
        f"s.{_column(s.get_field('program'))} IN (SELECT m.{_column(m.get_field('program'))} "
        f"FROM {qn(m.db_table)} m WHERE m.{_column(m.get_field('user'))} = "
        f"{'%s' if scope == 'member' else token_user} AND m.{_column(m.get_field('is_active'))})"
    )
    condition = {
        "": "",
        "member": f" AND {member}",
        "token": f" AND ({TOKEN_USER}.{_column(u.get_field('is_superuser'))} OR {member})",
    }[scope]
    return (
        f"SELECT {', '.join(columns)} FROM {qn(d.db_table)} d "
        f"JOIN {qn(s.db_table)} s ON s.{_column(s.pk)} = d.{_column(d.get_field('supplier'))} "
        f"LEFT JOIN {qn(u.db_table)} u ON u.{_column(u.pk)} = d.{_column(d.get_field('assessor'))} "
        f"WHERE d.{_column(d.pk)} = %s" + condition
    )


def diagnostic_detail_get(pk: int, *, user=None) -> Diagnostic | None:
    """One diagnostic as ``diagnostic_detail()`` loads it (deferred columns, supplier and assessor cached),
    by SQL built once per process; None if there is none with this primary key. With ``user``: only of
    the programs the user sees (``programs.selectors.scoped``)."""
    row = diagnostic_detail_row(pk, user=user)
    return None if row is None else diagnostic_detail_from_row(row)


def diagnostic_detail_row(pk: int, *, user=None) -> tuple | None:
    """The row ``diagnostic_detail_get`` builds its diagnostic from (``diagnostic_detail_from_row``,
    ``diagnostic_detail_values``); None if there is none."""
    of_member = user is not None and not sees_every_program(user)
    with connection.cursor() as cursor:
        cursor.execute(_detail_sql("member" if of_member else ""), [pk, user.pk] if of_member else [pk])
        return cursor.fetchone()


def diagnostic_detail_with_token(pk: int) -> tuple[str, list]:
    """The SQL and parameters of ``diagnostic_detail_get(pk, user=<the token's user>)`` read with the API
    token (``core.authentication.read_with_token``); ``diagnostic_detail_from_row`` builds its row."""
    return _detail_sql("token"), [pk]


@cache
def _row_names() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The attnames of a ``_detail_sql`` row's three parts: the diagnostic's, the supplier's, the assessor's."""
    user_model = get_user_model()
    return (
        tuple(model_order(Diagnostic, DETAIL_FIELDS)),
        tuple(model_order(Supplier, _SUPPLIER_FIELDS)),
        tuple(model_order(user_model, _USER_FIELDS)),
    )


def _row_parts(row) -> tuple:
    n, m = len(DETAIL_FIELDS), len(DETAIL_FIELDS) + len(_SUPPLIER_FIELDS)
    return row[:n], row[n:m], row[m:]


def diagnostic_detail_from_row(row) -> Diagnostic:
    """The diagnostic of a row of ``_detail_sql`` (``diagnostic_detail_get``, ``diagnostic_detail_with_token``)."""
    (names, supplier_names, user_names), (values, supplier, assessor) = _row_names(), _row_parts(row)
    diagnostic = from_row(Diagnostic, list(names), values)
    diagnostic.supplier = from_row(Supplier, list(supplier_names), supplier)
    diagnostic.assessor = None if assessor[0] is None else from_row(get_user_model(), list(user_names), assessor)
    return diagnostic


def diagnostic_detail_values(row) -> dict[str, Any]:
    """A row of ``_detail_sql`` as ``diagnostic_detail().values(...)`` reads it, without model instances:
    ``DETAIL_FIELDS`` by attname, then ``supplier__legal_name``, ``supplier__trade_name`` and
    ``assessor__username`` (None without an assessor), each converted as the ORM converts it."""
    found: dict[str, Any] = {}
    for (prefix, model), names, values in zip(
        (("", Diagnostic), ("supplier__", Supplier), ("assessor__", get_user_model())),
        _row_names(),
        _row_parts(row),
        strict=True,
    ):
        found.update(zip((prefix + name for name in names), converted(model, names, values), strict=True))
    return found


def diagnostic_explanation(diagnostic: Diagnostic) -> dict:
    """The explanation of a diagnostic's score: the stored summary (overall score, band, gating,
    completeness, as scored) and every dimension with each question's score and points, computed from
    the answers with the pure scoring functions. Answers cannot change while a diagnostic is submitted,
    scored or validated, and the framework version is immutable once used, so this is what the scoring
    computed. ``{}`` for a diagnostic never scored. Four queries."""
    if not diagnostic.score_details:
        return {}
    from .services.frameworks import framework_specs
    from .services.results import explanation_dimensions

    dimensions, questions, bands = framework_specs(diagnostic.framework)
    answers = [
        scoring.AnswerInput(question_id, level, not_applicable)
        for question_id, level, not_applicable in Answer.objects.filter(diagnostic=diagnostic).values_list(
            "question_id", "level", "not_applicable"
        )
    ]
    result = scoring.score_diagnostic(dimensions, questions, answers, bands)
    return {**diagnostic.score_details, "dimensions": explanation_dimensions(result)}


def current_diagnostics(*, supplier_ids: Any) -> QuerySet[Diagnostic]:
    """Each SME's *current diagnostic*: its latest diagnostic that is scored or validated, latest by the
    date it was conducted (``scheduled_for``, then ``id``), never by when it was scored (a rescore moves
    ``scored_at``). Baselines and follow-ups alike: a re-diagnosed SME's current diagnostic is its newest.
    ``supplier_ids``: ids or a subquery of them (an SME belongs to one program, so these are the
    diagnostics of the program it registered in). One ``DISTINCT ON`` pass; selection, reports, the SME's
    pages and the API all read the current diagnostic from here.

    Not to be confused with a supplier's *current baseline* (``Diagnostic.is_current_baseline``): its
    latest diagnostic that is not a follow-up, which reports compare follow-ups against."""
    return (
        Diagnostic.objects.filter(supplier__in=supplier_ids, status__in=Diagnostic.SCORED_STATUSES)
        .order_by("supplier_id", "-scheduled_for", "-id")
        .distinct("supplier_id")
    )


def current_diagnostic(supplier: Supplier) -> Diagnostic | None:
    """The SME's current diagnostic (``current_diagnostics``), or None before its first is scored."""
    return current_diagnostics(supplier_ids=[supplier.pk]).first()


def diagnostic_for_staff(user, pk: int) -> Diagnostic:
    return diagnostic_list(user).get(pk=pk)


@dataclass
class DimensionProgress:
    dimension: Dimension
    questions: list[Question]
    answered: int = 0  # rated or N/A
    rated: int = 0
    total: int = 0
    required: int = 0  # scoring.required_responses(total)

    @property
    def complete(self) -> bool:
        return scoring.is_complete(rated=self.rated, responded=self.answered, total=self.total)


def diagnostic_sheet(diagnostic: Diagnostic) -> list[DimensionProgress]:
    """The framework's dimensions with their questions (descriptors prefetched, ``answer``
    attached or None) and the progress of each dimension. Three queries."""
    questions = Question.objects.order_by("order", "code").prefetch_related(
        Prefetch("descriptors", queryset=LevelDescriptor.objects.order_by("level"))
    )
    dimensions = list(
        Dimension.objects.filter(framework_id=diagnostic.framework_id)
        .order_by("order", "code")
        .prefetch_related(Prefetch("questions", queryset=questions))
    )
    answers = {a.question_id: a for a in Answer.objects.filter(diagnostic=diagnostic)}
    sheet = []
    for dimension in dimensions:
        rows = list(dimension.questions.all())
        progress = DimensionProgress(dimension, rows, total=len(rows), required=scoring.required_responses(len(rows)))
        for question in rows:
            answer = answers.get(question.pk)
            # A per-request attribute the fill view and template read, not a model field.
            setattr(question, "answer", answer)  # noqa: B010
            if answer is not None:
                progress.answered += 1
                progress.rated += not answer.not_applicable
        sheet.append(progress)
    return sheet


def progress_summary(sheet: list[DimensionProgress]) -> list[dict]:
    return [
        {
            "dimension": p.dimension.code,
            "answered": p.answered,
            "rated": p.rated,
            "required": p.required,
            "total": p.total,
            "complete": p.complete,
        }
        for p in sheet
    ]


@dataclass
class Results:
    diagnostic: Diagnostic
    scores: list[DimensionScore]
    band: MaturityBand | None
    alignments: list[AreaAlignment]
    wanted_areas: list[CriticalSupplyArea]
    requirements: dict[int, dict[str, Decimal]]  # area id -> dimension code -> minimum
    advice: list[dict] = field(default_factory=list)
    comparison: list[dict] = field(default_factory=list)


def diagnostic_results(diagnostic: Diagnostic, *, only_wanted_areas: bool = False) -> Results:
    """Dimension scores, band, alignments (all areas, or only those the SME wants to supply),
    advice for the gaps (the next level's descriptors) and the comparison with the baseline."""
    scores = list(
        DimensionScore.objects.filter(diagnostic=diagnostic)
        .select_related("dimension")
        .order_by("dimension__order", "dimension__code")
    )
    band = (
        MaturityBand.objects.filter(framework_id=diagnostic.framework_id, level=diagnostic.maturity_level).first()
        if diagnostic.maturity_level
        else None
    )
    wanted = list(
        diagnostic.supplier.supply_areas.prefetch_related(
            Prefetch("requirements", queryset=AreaRequirement.objects.order_by("dimension_code"))
        ).order_by("code")
    )
    alignment_rows = (
        AreaAlignment.objects.filter(diagnostic=diagnostic)
        .select_related("area")
        .prefetch_related("area__requirements", "area__required_certifications")
        .order_by("area__code")
    )
    if only_wanted_areas:
        alignment_rows = alignment_rows.filter(area__in=[a.pk for a in wanted])
    alignments = list(alignment_rows)
    requirements = {a.pk: {r.dimension_code: r.minimum_score for r in a.requirements.all()} for a in wanted}
    results = Results(diagnostic, scores, band, alignments, wanted, requirements)
    results.advice = _advice(diagnostic, alignments)
    results.comparison = comparison(diagnostic, scores)
    return results


def _advice(diagnostic: Diagnostic, alignments: list[AreaAlignment]) -> list[dict]:
    """For each dimension with a gap: its questions, the current level, and what the next level looks like."""
    gap_codes = []
    for alignment in alignments:
        for gap in alignment.gaps:
            if gap["dimension"] not in gap_codes:
                gap_codes.append(gap["dimension"])
    if not gap_codes:
        return []
    answers = {
        a.question_id: a for a in Answer.objects.filter(diagnostic=diagnostic, question__dimension__code__in=gap_codes)
    }
    questions = (
        Question.objects.filter(dimension__framework_id=diagnostic.framework_id, dimension__code__in=gap_codes)
        .select_related("dimension")
        .prefetch_related("descriptors")
        .order_by("dimension__order", "order", "code")
    )
    by_dimension: dict[str, dict] = {}
    for question in questions:
        answer = answers.get(question.pk)
        if answer is not None and answer.not_applicable:
            continue
        current = answer.level if answer else None
        if current == 5:
            continue
        target = (current or 0) + 1
        descriptor = next((d for d in question.descriptors.all() if d.level == target), None)
        entry = by_dimension.setdefault(question.dimension.code, {"dimension": question.dimension, "items": []})
        entry["items"].append(
            {
                "question": question,
                "current": current,
                "next_level": target,
                "descriptor": descriptor.text if descriptor else "",
            }
        )
    return [by_dimension[code] for code in gap_codes if code in by_dimension]


def comparison(diagnostic: Diagnostic, scores: list[DimensionScore] | None = None) -> list[dict]:
    """Per-dimension delta with the baseline diagnostic (matched by dimension code, so a baseline
    on an older framework version compares too). Empty without a scored baseline."""
    baseline = diagnostic.baseline
    if baseline is None or baseline.overall_score is None:
        return []
    if scores is None:
        scores = list(
            DimensionScore.objects.filter(diagnostic=diagnostic)
            .select_related("dimension")
            .order_by("dimension__order", "dimension__code")
        )
    before = {
        s.dimension.code: s.score
        for s in DimensionScore.objects.filter(diagnostic_id=baseline.pk).select_related("dimension")
    }
    rows = []
    for score in scores:
        old = before.get(score.dimension.code)
        delta = score.score - old if score.score is not None and old is not None else None
        rows.append(
            {
                "code": score.dimension.code,
                "name": score.dimension.name,
                "baseline": old,
                "current": score.score,
                "delta": delta,
            }
        )
    return rows


def sme_diagnostic(pk: int) -> Diagnostic | None:
    return (
        Diagnostic.objects.select_related("supplier", "framework", "baseline")
        .filter(pk=pk, published_at__isnull=False)
        .first()
    )


def published_diagnostics(supplier: Supplier) -> list[Diagnostic]:
    """The diagnostics the SME sees on its account, newest first (by the date each was conducted: the
    first is its current diagnostic once published)."""
    return list(
        Diagnostic.objects.filter(supplier=supplier, published_at__isnull=False)
        .select_related("framework")
        .prefetch_related("dimension_scores__dimension")
        .order_by("-scheduled_for", "-id")
    )


# The queued tasks of a framework rescoring (``core.models.QueuedTask`` rows, the framework's id first in their
# arguments): while one is pending, the rescoring is under way.
RESCORE_TASKS = ("assessments.tasks.rescore_framework", "assessments.tasks.rescore_chunk")
RESCORE_EVENTS = ("rescore_requested", "rescore_started", "rescore_finished")


def rescore_tasks(framework_id: int) -> QuerySet:
    return QueuedTask.objects.filter(name__in=RESCORE_TASKS, args__0=framework_id)


def rescoring_status(framework: Framework) -> dict:
    """Where the rescoring of a framework version stands, in two queries: ``state`` is ``queued`` (asked for,
    not started), ``running`` (with ``percent`` of its parts done and how many ``diagnostics``), ``failed``
    (a part gave up after its retries: ``failed`` parts), ``finished`` (``finished_at``) or None (never)."""
    pending = Q(status=QueuedTask.Status.PENDING)
    counts = rescore_tasks(framework.pk).aggregate(
        waiting=Count("pk", filter=pending & Q(name=RESCORE_TASKS[0])),
        parts_left=Count("pk", filter=pending & Q(name=RESCORE_TASKS[1])),
        failed=Count("pk", filter=Q(status=QueuedTask.Status.GAVE_UP)),
    )
    latest: dict[str, Any] = {}
    for action, created_at, changes in (
        history(framework)
        .filter(action__in=RESCORE_EVENTS)
        .order_by("-created_at", "-pk")
        .values_list("action", "created_at", "changes")[:20]
    ):
        latest.setdefault(action, (created_at, changes))
    status: dict[str, Any] = {"state": None, **counts}
    if counts["parts_left"]:
        changes = latest.get("rescore_started", (None, {}))[1] or {}
        parts = max(int(changes.get("parts") or 0), counts["parts_left"])
        status.update(
            state="running",
            diagnostics=int(changes.get("diagnostics") or 0),
            percent=int(100 * (parts - counts["parts_left"]) / parts),
        )
    elif counts["waiting"]:
        status.update(state="queued", requested_at=latest.get("rescore_requested", (None,))[0])
    elif counts["failed"]:
        status["state"] = "failed"
    elif "rescore_finished" in latest:
        status.update(state="finished", finished_at=latest["rescore_finished"][0])
    status["active"] = status["state"] in ("queued", "running")
    return status
