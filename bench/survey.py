"""Survey: every GET page and API endpoint of every role on the seeded database, timed and judged.

Usage::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sdp_bench .venv/bin/python bench/survey.py --repeat 3

Each URL of ``bench/survey_budgets.py`` is requested in-process (Django test client, production-like
settings without the debug toolbar) as each role that uses it, with parameters taken from real rows
(the demo logins ``staff``, ``ancla``, ``pyme``, ``pyme-plan`` (a selected SME with a plan and a financing
case), ``consultora`` and ``capacitadora`` of ``manage.py seed_demo``, the program with the most
SMEs, its largest cohort...): one warm-up request, counted for queries on one connection, then
``--repeat`` timed requests. A line per request; the exit status is 1 if any response breaks a budget
(median or p95 time by role, more than ``MAX_QUERIES`` queries, an HTML or JSON body over ``MAX_BYTES``)
or answers 404 or 5xx (its parameters did not resolve to a row the role may see).
"""

from __future__ import annotations

import argparse
import gc
import logging
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile, setup_django  # noqa: E402
from bench.survey_budgets import (  # noqa: E402
    ADMIN_PAGES,
    ADMIN_VIEWS,
    BUDGETS,
    MAX_BYTES,
    MAX_QUERIES,
    NOT_SURVEYED,
    PAGES,
)

DOWNLOAD_TYPES = ("text/csv", "application/vnd.openxmlformats", "application/pdf", "application/octet-stream")


@dataclass(frozen=True)
class Request:
    name: str
    role: str
    url: str


@dataclass
class Result:
    request: Request
    status: int = 0
    latencies: list[float] = field(default_factory=list)
    queries: int = 0
    size: int = 0
    download: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.latencies) if self.latencies else 0.0

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 95) if self.latencies else 0.0

    def line(self) -> str:
        r = self.request
        size = f"{self.size / 1024:8.1f} KB" + (" (file)" if self.download else "       ")
        verdict = "FAIL " + "; ".join(self.problems) if self.problems else "PASS"
        return (
            f"{r.role:<9} {self.status:>3} {self.median * 1000:7.1f} ms  p95 {self.p95 * 1000:7.1f} ms "
            f"{self.queries:>3} q {size}  {r.url:<70} {verdict}"
        )


def url_names() -> set[str]:
    """Every URL name the project serves ("" for unnamed patterns)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace)
            elif isinstance(entry, URLPattern):
                names.add(f"{namespace}:{entry.name}".strip(":") if entry.name else "")

    walk(get_resolver().url_patterns, "")
    return names


def admin_names() -> dict[str, tuple[type, bool]]:
    """Admin URL name -> (model, needs a row) for the views ``ADMIN_VIEWS`` lists."""
    from django.contrib import admin

    found = {}
    for model in admin.site._registry:
        for view, needs_row in ADMIN_VIEWS.items():
            found[f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"] = (model, needs_row)
    return found


def uncovered() -> list[str]:
    """URL names with no survey entry and no reason for none (a new page must get one)."""
    admin = admin_names()
    known = set(PAGES) | set(NOT_SURVEYED) | set(ADMIN_PAGES) | set(admin) | {"admin:app_list"}
    return sorted(name for name in url_names() if name not in known)


def stale() -> list[str]:
    """Entries of ``PAGES`` that name no URL the project serves."""
    return sorted(set(PAGES) - url_names())


def role_users() -> dict[str, object]:
    """The user of each role: the demo logins, or the first user of the role."""
    from django.contrib.auth import get_user_model

    from core import roles
    from programs.models import AnchorReviewer
    from suppliers.models import Contact

    users = get_user_model().objects
    staff = users.filter(username="staff").first() or users.filter(groups__name=roles.STAFF_GROUP).first()
    reviewer = (
        AnchorReviewer.objects.filter(user__username="ancla").first() or AnchorReviewer.objects.order_by("pk").first()
    )
    contact = (
        Contact.objects.filter(user__username="pyme").first()
        or Contact.objects.filter(user__isnull=False).order_by("pk").first()
    )
    from support.models import FinancingCase, Provider

    selected = (
        Contact.objects.filter(user__username="pyme-plan").first()
        or Contact.objects.filter(user__isnull=False, supplier__in=FinancingCase.objects.values("candidate__supplier"))
        .order_by("pk")
        .first()
    )
    providers = Provider.objects.filter(user__isnull=False, is_active=True).select_related("user").order_by("pk")
    consultant = (
        providers.filter(user__username="consultora").first() or providers.filter(assignments__isnull=False).first()
    )
    trainer = providers.filter(user__username="capacitadora").first() or providers.filter(courses__isnull=False).first()
    return {
        "staff": staff,
        "anchor": reviewer.user if reviewer else None,
        "sme": contact.user if contact else None,
        "selected_sme": selected.user if selected else None,
        "anonymous": None,
        "provider": consultant.user if consultant else None,
        "trainer": trainer.user if trainer else None,
    }


def parameters(users: dict[str, object]) -> dict[str, Callable[[str], object]]:
    """Parameter name -> a function of the role giving a value from the seeded rows (None: no row)."""
    from django.db.models import Count, Q

    from assessments.models import Diagnostic, Framework
    from cohorts.models import AnchorReview, Candidate, Cohort
    from core.models import ApiToken
    from programs.models import (
        AnchorCompany,
        AnchorReviewer,
        CertificationStandard,
        CriticalSupplyArea,
        Partner,
        Phase,
        Program,
        Region,
        State,
    )
    from reports.models import ReportExport
    from sourcing.models import Invitation, Match
    from sourcing.models import Response as SourcingResponse
    from suppliers.models import Contact, Document, InvitationImport
    from support.models import (
        Course,
        DevelopmentPlan,
        Evidence,
        FinancingCase,
        FinancingDocument,
        PlanItem,
        Provider,
        TrainingSession,
        Visit,
    )
    from support.selectors import courses_for_trainer, plans_for_provider, provider_candidates, visits_for_provider

    program = Program.objects.annotate(n=Count("suppliers")).order_by("-n", "pk").first()
    sme_contact = (
        Contact.objects.filter(user=users["sme"]).select_related("supplier").order_by("pk").first()
        if users["sme"]
        else None
    )
    sme_supplier = sme_contact.supplier if sme_contact else None
    reviewer = AnchorReviewer.objects.filter(user=users["anchor"]).first() if users["anchor"] else None
    reviewed = Cohort.objects.filter(status=Cohort.Status.ANCHOR_REVIEW).annotate(n=Count("candidates"))
    cohort = reviewed.order_by("-n", "pk").first() or (
        Cohort.objects.annotate(n=Count("candidates")).order_by("-n", "pk").first()
    )
    candidate = (
        Candidate.objects.filter(cohort=cohort).order_by("-in_proposal", "pk").first() if cohort is not None else None
    )
    diagnostics = Diagnostic.objects.filter(published_at__isnull=False).order_by("pk")
    diagnostic = (diagnostics.filter(supplier=sme_supplier).first() if sme_supplier else None) or diagnostics.first()

    def first(model, **filters):
        return lambda role: model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()

    def fixed(value):
        return lambda role: value

    def candidate_for(role):
        if role == "anchor" and reviewer is not None:
            from cohorts.selectors import anchor_candidate_list

            row = anchor_candidate_list(anchor=reviewer.anchor).first()
            return row.pk if row is not None else None
        return candidate.pk if candidate is not None else None

    def document(role):
        rows = Document.objects.order_by("pk")
        if role == "sme":
            rows = rows.filter(supplier=sme_supplier)
        return rows.values_list("pk", flat=True).first()

    def review(role):
        rows = AnchorReview.objects.order_by("pk")
        if role == "anchor" and reviewer is not None:
            rows = rows.filter(Q(anchor=reviewer.anchor))
        return rows.values_list("pk", flat=True).first()

    def opportunity(role):
        from sourcing.models import Opportunity
        from sourcing.selectors import sme_opportunities

        if role == "sme":
            return sme_opportunities(sme_supplier).values_list("pk", flat=True).first() if sme_supplier else None
        rows = Opportunity.objects.order_by("pk")
        if role == "anchor" and reviewer is not None:
            rows = rows.filter(anchor_id=reviewer.anchor_id)
        return rows.values_list("pk", flat=True).first()

    def sourcing_rows(model, anchor_path: str, supplier_path: str):
        def row(role):
            rows = model.objects.order_by("pk")
            if role == "anchor" and reviewer is not None:
                rows = rows.filter(**{anchor_path: reviewer.anchor_id})
            if role == "sme":
                rows = rows.filter(**{supplier_path: sme_supplier})
            return rows.values_list("pk", flat=True).first()

        return row

    def as_provider(role):
        user = users.get(role)
        return Provider.objects.filter(user=user).first() if role in ("provider", "trainer") and user else None

    def plan(role):
        rows = DevelopmentPlan.objects.order_by("pk")
        if role == "provider":
            rows = rows.filter(pk__in=plans_for_provider(as_provider(role)).values("pk"))
        return rows.values_list("pk", flat=True).first()

    def plan_item(role):
        rows = PlanItem.objects.order_by("pk")
        if role == "provider":
            rows = rows.filter(plan__in=plans_for_provider(as_provider(role)))
        return rows.values_list("pk", flat=True).first()

    def visit(role):
        rows = Visit.objects.order_by("pk")
        if role == "provider":
            rows = rows.filter(pk__in=visits_for_provider(as_provider(role)).values("pk"))
        return rows.values_list("pk", flat=True).first()

    def supplier_of(role):
        user = users.get(role)
        return participation_of(user)

    def evidence_file(role):
        rows = Evidence.objects.exclude(file="").order_by("pk")
        if role == "provider":
            rows = rows.filter(item__plan__in=plans_for_provider(as_provider(role)))
        elif role in ("sme", "selected_sme"):
            rows = rows.filter(item__plan__candidate__supplier_id=supplier_of(role))
        return rows.values_list("pk", flat=True).first()

    def financing_case(role):
        rows = FinancingCase.objects.order_by("pk")
        if role in ("sme", "selected_sme"):
            rows = rows.filter(candidate__supplier_id=supplier_of(role))
        return rows.values_list("pk", flat=True).first()

    def financing_document(role):
        rows = FinancingDocument.objects.exclude(file="").order_by("pk")
        if role in ("sme", "selected_sme"):
            rows = rows.filter(case__candidate__supplier_id=supplier_of(role))
        return rows.values_list("pk", flat=True).first()

    def provider_row(role):
        provider = as_provider(role)
        return provider.pk if provider else Provider.objects.order_by("pk").values_list("pk", flat=True).first()

    def provider_candidate(role):
        provider = as_provider(role)
        return provider_candidates(provider).order_by("pk").values_list("pk", flat=True).first() if provider else None

    def course(role):
        rows = Course.objects.order_by("pk")
        if role == "trainer":
            rows = rows.filter(pk__in=courses_for_trainer(as_provider(role)).values("pk"))
        return rows.values_list("pk", flat=True).first()

    def session(role):
        rows = TrainingSession.objects.order_by("pk")
        if role == "trainer":
            provider = as_provider(role)
            rows = rows.filter(Q(trainer=provider) | Q(course__trainer=provider))
        return rows.values_list("pk", flat=True).first()

    def outcome_round(role):
        """The latest closed follow-up round with the most SMEs (its impact page has estimates)."""
        from outcomes.models import OutcomeRound

        rows = OutcomeRound.objects.filter(status=OutcomeRound.Status.CLOSED, kind=OutcomeRound.Kind.FOLLOW_UP)
        rows = rows.annotate(n=Count("responses")).order_by("-n", "-period_end", "-pk")
        return rows.values_list("pk", flat=True).first()

    def outcome_response(role):
        """An answer sent in the round ``outcome_round`` gives (an SME role: its own latest, if it has one)."""
        from outcomes.models import OutcomeResponse

        rows = OutcomeResponse.objects.order_by("-round__period_end", "pk")
        if role in ("sme", "selected_sme"):
            rows = rows.filter(supplier_id=supplier_of(role))
        else:
            rows = rows.filter(round_id=outcome_round(role), status=OutcomeResponse.Status.SUBMITTED)
        return rows.values_list("pk", flat=True).first()

    unplanned = (
        Candidate.objects.filter(status=Candidate.Status.SELECTED, plan__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )

    def joinable_program(role):
        """A program taking registrations that the SME's company can join (none in the demo: skipped)."""
        from suppliers.services import programs_to_join

        rows = programs_to_join(sme_supplier) if role == "sme" and sme_supplier else []
        return rows[0].pk if rows else None

    return {
        "joinable_program": joinable_program,
        "plan": plan,
        "plan_item": plan_item,
        "evidence_file": evidence_file,
        "visit": visit,
        "provider_row": provider_row,
        "provider_candidate": provider_candidate,
        "course": course,
        "session": session,
        "unplanned_candidate": fixed(unplanned),
        "opportunity": opportunity,
        "opportunity_match": sourcing_rows(Match, "opportunity__anchor_id", "supplier"),
        "invitation": sourcing_rows(Invitation, "opportunity__anchor_id", "supplier"),
        "sourcing_response": sourcing_rows(
            SourcingResponse, "invitation__opportunity__anchor_id", "invitation__supplier"
        ),
        "program": fixed(program.pk if program else None),
        "phase": fixed(
            Phase.objects.filter(program=program).order_by("order").values_list("pk", flat=True).first()
            if program
            else None
        ),
        "cohort": fixed(cohort.pk if cohort else None),
        "candidate": candidate_for,
        "supplier": fixed(sme_supplier.pk if sme_supplier else None),
        "diagnostic": fixed(diagnostic.pk if diagnostic else None),
        "document": document,
        "export": first(ReportExport),
        "export_kind": fixed("candidates"),
        "export_format": fixed("csv"),
        "token_user": fixed(ApiToken.objects.order_by("user_id").values_list("user_id", flat=True).first()),
        "region": first(Region),
        "state": first(State),
        "certification_standard": first(CertificationStandard),
        "anchor": fixed(reviewer.anchor_id if reviewer else AnchorCompany.objects.values_list("pk", flat=True).first()),
        "supply_area": first(CriticalSupplyArea),
        "framework": first(Framework),
        "anchor_review": review,
        "financing_case": financing_case,
        "financing_document": financing_document,
        "outcome_round": outcome_round,
        "outcome_response": outcome_response,
        "invitation_import": first(InvitationImport),
        "partner": fixed(
            Partner.objects.filter(is_active=True).exclude(logo="").order_by("pk").values_list("pk", flat=True).first()
        ),
    }


def plan() -> tuple[list[Request], list[tuple[str, str, str]]]:
    """The requests to time, and (name, role, why) of those skipped for want of a row."""
    from django.urls import NoReverseMatch, reverse

    users = role_users()
    params = parameters(users)
    requests, skipped = [], []
    served = url_names()
    for name, (roles, kwargs, query) in PAGES.items():
        if name not in served:
            continue
        for role in roles:
            if role != "anonymous" and users[role] is None:
                skipped.append((name, role, f"no {role} user"))
                continue
            values = {kwarg: params[key](role) for kwarg, key in kwargs.items()}
            in_query = {key: params[key](role) for key in re.findall(r"{(\w+)}", query)}
            missing = [key for kwarg, key in kwargs.items() if values[kwarg] is None]
            missing += [key for key, value in in_query.items() if value is None]
            if missing:
                skipped.append((name, role, f"no {', '.join(missing)} row"))
                continue
            filled = query.format(**in_query)
            requests.append(Request(name, role, reverse(name, kwargs=values) + (f"?{filled}" if filled else "")))
    for name in ADMIN_PAGES:
        requests.append(Request(name, "anonymous" if name == "admin:login" else "staff", reverse(name)))
    apps = set()
    for name, (model, needs_row) in sorted(admin_names().items()):
        try:
            reverse(name, args=[1] if needs_row else [])
        except NoReverseMatch:  # a view this model's admin does not offer (no import, no password form)
            continue
        apps.add(model._meta.app_label)
        args = []
        if needs_row:
            pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            if pk is None:
                skipped.append((name, "staff", f"no {model._meta.model_name} row"))
                continue
            args = [pk]
        requests.append(Request(name, "staff", reverse(name, args=args)))
    staff = users["staff"]
    for app in sorted(apps):
        if staff is None or not staff.has_module_perms(app):  # the admin answers 404 for an app it hides
            continue
        requests.append(Request("admin:app_list", "staff", reverse("admin:app_list", args=[app])))
    return requests, skipped


def _body_size(response) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _is_download(response) -> bool:
    disposition = response.headers.get("Content-Disposition", "")
    content_type = response.headers.get("Content-Type", "")
    return "attachment" in disposition or content_type.startswith(DOWNLOAD_TYPES)


def participation_of(user) -> int | None:
    """The participation an SME login is surveyed on: its first (the demo SME's company takes part in two
    programs; the first holds its diagnostic, plan and invitations)."""
    from suppliers.models import Contact

    return Contact.objects.filter(user=user).order_by("pk").values_list("supplier_id", flat=True).first()


def choose_participation(client, user) -> None:
    """Work on ``participation_of(user)``, as the SME navigation's switcher does (kept in the session)."""
    from suppliers.selectors import PARTICIPATION_SESSION_KEY

    chosen = participation_of(user)
    if chosen is not None:
        session = client.session
        session[PARTICIPATION_SESSION_KEY] = chosen
        session.save()


def measure(
    requests: list[Request], repeat: int, users: dict[str, object] | None = None, on_result=None
) -> list[Result]:
    from django.db import connection, transaction
    from django.test import Client

    users = users or role_users()
    clients = {}
    for role, user in users.items():
        client = Client(HTTP_HOST="127.0.0.1")
        if user is not None:
            client.force_login(user)
            choose_participation(client, user)
        clients[role] = client
    results = []
    # The objects that exist before the survey (a whole test run's, when a test calls it) are moved out of the
    # collector's reach for its duration: the collection before each timed page then scans only the survey's own
    # objects, not the whole heap again for every page.
    gc.collect()
    gc.freeze()
    try:
        for request in requests:
            results.append(_measure_one(clients[request.role], request, repeat, connection, transaction))
            if on_result is not None:
                on_result(results[-1])
    finally:
        gc.unfreeze()
    return results


def _measure_one(client, request: Request, repeat: int, connection, transaction) -> Result:
    from django.test.utils import CaptureQueriesContext

    result = Result(request)
    # Counted on one connection (a report spreads its reads over SDP_REPORT_CONNECTIONS outside one).
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        response = client.get(request.url)
        result.size = _body_size(response)
    # The page's own statements: not the BEGIN and COMMIT of the transaction the survey wraps it in.
    queries = [q for q in captured.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
    result.status, result.queries, result.download = response.status_code, len(queries), _is_download(response)
    # The survey's own garbage (every response it has read) collected before the timed requests: a full
    # collection of it would otherwise land in one of them (300 ms late in a run of 500 pages).
    gc.collect()
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(request.url)
        _body_size(response)
        result.latencies.append(time.perf_counter() - start)
    judge(result)
    return result


def judge(result: Result) -> None:
    median_budget, p95_budget = BUDGETS[result.request.role]
    if result.status == 404 or result.status >= 500:
        result.problems.append(f"status {result.status}")
    if result.median > median_budget:
        result.problems.append(f"median over {median_budget * 1000:.0f} ms")
    if result.p95 > p95_budget:
        result.problems.append(f"p95 over {p95_budget * 1000:.0f} ms")
    if result.queries > MAX_QUERIES:
        result.problems.append(f"{result.queries} queries > {MAX_QUERIES}")
    if not result.download and result.size > MAX_BYTES:
        result.problems.append(f"{result.size:,} bytes > {MAX_BYTES:,}")


def select(requests: list[Request], skipped: list[tuple[str, str, str]], *, only: tuple[str, ...] = ()):
    """The requests and skipped entries whose URL name starts with one of ``only`` (all of them without)."""
    if not only:
        return requests, skipped
    return [r for r in requests if r.name.startswith(only)], [s for s in skipped if s[0].startswith(only)]


def run(repeat: int, out=None, only: tuple[str, ...] = ()) -> bool:
    """Survey every URL, or those whose name starts with one of ``only`` (``support:``, ``api:course``)."""
    from bench.common import vacuum_analyze

    out = out or sys.stdout
    logging.disable(logging.WARNING)  # refusals (403 of read-only admin pages) are results, not log lines
    vacuum_analyze()
    missing = uncovered()
    for name in missing:
        print(f"{name:<45} no survey entry in bench/survey_budgets.py  FAIL", file=out)
    for name in stale():
        print(f"{name:<45} a survey entry for a URL the project does not serve  FAIL", file=out)
        missing.append(name)
    requests, skipped = select(*plan(), only=only)
    for name, role, why in skipped:
        print(f"{name:<45} {role:<9} skipped: {why}", file=out)
    results = measure(
        requests,
        repeat,
        on_result=lambda result: print(f"{result.request.name:<45} {result.line()}", file=out, flush=True),
    )
    failed = [r for r in results if r.problems]
    slowest = sorted(results, key=lambda r: -r.median)[:5]
    print(
        f"survey: {len(results)} requests, {len(failed)} over budget, {len(skipped)} skipped, "
        f"{len(missing)} URLs without an entry; slowest "
        + ", ".join(f"{r.request.name} ({r.request.role}) {r.median * 1000:.0f} ms" for r in slowest),
        file=out,
    )
    return not failed and not missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="timed requests per URL and role (default 3)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PREFIX",
        help="survey only the URL names starting with PREFIX (repeatable), e.g. --only support: --only api:course",
    )
    args = parser.parse_args(argv)
    setup_django()
    return 0 if run(args.repeat, only=tuple(args.only)) else 1


if __name__ == "__main__":
    sys.exit(main())
