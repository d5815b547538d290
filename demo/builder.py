"""Builds the demo data set: deterministic, idempotent, bulk writes so that large sizes stay fast.

Reference data (regions, states, certifications, the program with its anchors and supply areas,
the default framework) is loaded from the data files by ``load_reference_data``'s loader; the
demo adds the program's schedule (phases, cohorts), logins and SMEs. SMEs are generated from a
seeded random generator fed by ``demo/data/`` (state weights, names); SME number ``i`` always
gets the primary contact email ``contacto{i}@demo.sdp.mx``, which is how a second run recognises
what it already created.
"""

import contextlib
import datetime
import functools
import itertools
import os
import random
import re
import threading
import time
import unicodedata
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from stdnum.mx import rfc as stdnum_rfc

from assessments import services as assessment_services
from assessments.models import Diagnostic, Framework, Question
from cohorts.models import Cohort
from core import notifications, roles
from core.bulk import copy_insert_rows, take_ids
from programs.datafiles import read_yaml
from programs.models import (
    AnchorCompany,
    AnchorReviewer,
    CertificationStandard,
    CriticalSupplyArea,
    Phase,
    Program,
    ProgramStaff,
    Region,
    State,
)
from suppliers.models import AnnualFigure, Certification, Contact, Supplier
from suppliers.rfc import check_rfc
from suppliers.stratification import sector_for_scian, stratify

from . import second_program
from .loading import (
    Committed,
    Writer,
    copy_duplicates,
    copy_with_ids,
    insert_answers,
    link_companies,
    run_jobs,
    stored_companies,
)
from .partners import seed_partners

DATA_FOLDER = Path(__file__).resolve().parent / "data"
PROGRAM_START = datetime.date(2024, 6, 1)
FRAMEWORK_CODE, FRAMEWORK_VERSION = "sdp-auto-parts", 1
EMAIL_DOMAIN = "demo.sdp.mx"
PHASES = (
    (
        1,
        Phase.Kind.REGISTRATION,
        "Registro y diagnóstico de PyMEs",
        "SME registration and diagnostic",
        datetime.date(2024, 6, 1),
        datetime.date(2025, 5, 31),
    ),
    (
        2,
        Phase.Kind.SELECTION,
        "Selección de la cohorte 2025",
        "Selection of the 2025 cohort",
        datetime.date(2025, 6, 1),
        datetime.date(2025, 8, 31),
    ),
    (
        3,
        Phase.Kind.SUPPORT,
        "Capacitación, mentoría, consultoría y financiamiento",
        "Training, mentoring, consulting and financing",
        datetime.date(2025, 9, 1),
        datetime.date(2026, 6, 30),
    ),
    (
        4,
        Phase.Kind.SELECTION,
        "Selección de la cohorte 2026",
        "Selection of the 2026 cohort",
        datetime.date(2026, 1, 15),
        datetime.date(2026, 4, 30),
    ),
    (
        5,
        Phase.Kind.FOLLOW_UP,
        "Seguimiento e impacto",
        "Follow-up and impact",
        datetime.date(2026, 7, 1),
        datetime.date(2027, 6, 30),
    ),
)
NA_REASONS = (
    "No aplica al proceso de la empresa (servicio, sin producción propia).",
    "La empresa no subcontrata procesos.",
    "Sin exportaciones directas.",
)
CERT_SHARES = (("iso-9001", 0.42), ("iatf-16949", 0.16), ("iso-14001", 0.12), ("iso-45001", 0.06))


@cache
def demo_data(name: str) -> dict:
    """A file of ``demo/data/``: ``state_weights`` (SMEs per mille by state) or ``names``."""
    return read_yaml(DATA_FOLDER / f"{name}.yaml")


@cache
def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub("[^a-z0-9]", "", ascii_text.lower())[:20] or "pyme"  # the ASCII letters and digits


@cache
def _rfc_prefix(name: str) -> str:
    return (re.sub("[^A-Z]", "", _slug(name).upper()) + "XXX")[:3]


def make_rfc(rng: random.Random, legal_name: str, founded: int, valid: bool = True) -> str:
    """A persona moral RFC shaped like the real thing, with a correct (or deliberately wrong) check digit."""
    prefix = _rfc_prefix(legal_name)
    date = f"{founded % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    homoclave = rng.choice("123456789ABCDEFGHIJKLMNPRSTUV") + rng.choice("123456789ABCDEFGHIJKLMNPRSTUVWXYZ")
    base = prefix + date + homoclave
    digit = stdnum_rfc.calc_check_digit(base)
    if not valid:
        digit = "0" if digit != "0" else "1"
    return base + digit


# The tables of the database holding rows whose planner statistics are missing or were taken when the table
# had less than nine tenths or more than eleven tenths of its pages (the planner scales its row estimate by the
# pages, not the column statistics), as quoted names for ``ANALYZE``.
STALE_TABLES_SQL = """
SELECT format('%I.%I', n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (SELECT pg_relation_size(c.oid) / current_setting('block_size')::int AS pages) size
WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname = ANY (current_schemas(false)) AND size.pages > 0
  AND (c.reltuples < 0 OR size.pages NOT BETWEEN c.relpages * 0.9 AND c.relpages * 1.1)
ORDER BY 1
"""

# The program's cohorts: name, year, minimum and maximum size, growth-potential floor beyond the minimum.
COHORTS = (
    ("Cohorte 2025", 2025, 55, 55, None),
    ("Cohorte 2026", 2026, 40, 50, Decimal("40")),
)


class DemoBuilder:
    LOGINS = {
        "program staff": ("staff", "sdp-demo-staff"),
        "anchor reviewer": ("ancla", "sdp-demo-ancla"),
        "SME": ("pyme", "sdp-demo-pyme"),
        "staff, 2nd program": second_program.LOGIN,
        "selected SME": ("pyme-plan", "sdp-demo-pyme-plan"),
        "consultant": ("consultora", "sdp-demo-consultora"),
        "mentor": ("mentor", "sdp-demo-mentor"),
        "trainer": ("capacitadora", "sdp-demo-capacitadora"),
    }

    def __init__(
        self,
        *,
        size: int = 400,
        seed: int = 2025,
        diagnosed_share: float = 0.7,
        log=print,
        decide: bool = True,
        follow_ups: int = 0,
        timings: bool = False,
    ):
        """``decide=False`` leaves the 2025 cohort under anchor review and the 2026 cohort a draft.
        ``follow_ups``: bring the 2025 cohort to that many closed follow-up rounds (the demo has two; the
        benchmarks ask for ten). ``timings``: log each step's and sub-step's seconds with the load average."""
        self.size = size
        self.follow_ups = follow_ups
        self.decide = decide
        self.seed = seed
        self.rng = random.Random(seed)
        self.diagnosed_share = diagnosed_share
        self.log = log
        self.timings = timings
        self._laps = threading.local()  # the time of each thread's last lap (the 2026 cohort is built on its own)
        self._laps.at = time.perf_counter()
        self._progress = threading.Lock()  # the counts of chunks done, logged from the threads writing them
        self._written = self._scored = 0

    def lap(self, what: str) -> None:
        """With ``timings``: log the seconds since this thread's last lap and the machine's load average."""
        now = time.perf_counter()
        if self.timings:
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            self.log(f"    {what}: {now - getattr(self._laps, 'at', now):.1f} s (load average {load})")
        self._laps.at = now

    # -- reference data -------------------------------------------------------------------------
    @transaction.atomic
    def reference(self) -> Program:
        loaded = assessment_services.reference_data_load()
        self.scian_classes = loaded.content.scian_classes
        program = loaded.program
        if program.start_date != PROGRAM_START:
            program.start_date = PROGRAM_START
            program.save(update_fields=["start_date", "updated_at"])
        for order, kind, name_es, name_en, start, end in PHASES:
            Phase.objects.update_or_create(
                program=program,
                order=order,
                defaults={"kind": kind, "name_es": name_es, "name_en": name_en, "start_date": start, "end_date": end},
            )
        for name, year, low, high, floor in COHORTS:
            phase = Phase.objects.get(program=program, order=2 if year == 2025 else 4)
            Cohort.objects.get_or_create(
                program=program,
                name=name,
                defaults={"year": year, "min_size": low, "max_size": high, "growth_floor": floor, "phase": phase},
            )
        return program

    # -- SMEs -----------------------------------------------------------------------------------
    @staticmethod
    @cache
    def _state_weights() -> tuple[list[str], list[float]]:
        weights = demo_data("state_weights")["weights"]
        codes = list(weights)
        return codes, list(itertools.accumulate(weights[c] for c in codes))

    def _pick_state(self) -> str:
        codes, cumulative = self._state_weights()
        return self.rng.choices(codes, cum_weights=cumulative)[0]

    def _company_name(self) -> str:
        names = demo_data("names")
        first, second = self.rng.sample(names["company_words"], k=2)
        return f"{first} y {second} {self.rng.choice(names['company_qualifiers'])}"

    def _supplier_row(self, i: int, program: Program, states: dict, scian_choices: list) -> tuple:
        rng = self.rng
        names = demo_data("names")
        state_code = self._pick_state()
        municipality = rng.choice(names["municipalities"].get(state_code) or [states[state_code].name])
        base_name = self._company_name()
        legal_name = f"{base_name}, {rng.choice(names['legal_entity_suffixes'])}"
        founded = rng.randint(1975, 2021)
        scian = rng.choice(scian_choices)
        employees = max(3, int(rng.lognormvariate(3.6, 0.9)))
        sales = Decimal(str(round(employees * rng.uniform(0.25, 1.6), 3)))
        if rng.random() < 0.03:  # a few large companies register too: they are not eligible as SMEs
            employees, sales = rng.randint(260, 900), Decimal(str(round(rng.uniform(260, 900), 3)))
        sector = sector_for_scian(scian["code"])
        stratum = stratify(sector, employees, sales)
        roll = rng.random()
        status = (
            Supplier.Status.VERIFIED
            if roll < 0.80
            else Supplier.Status.SUBMITTED
            if roll < 0.90
            else Supplier.Status.DRAFT
            if roll < 0.96
            else Supplier.Status.REJECTED
        )
        rfc_valid = rng.random() >= 0.015
        rfc = make_rfc(rng, base_name, founded, valid=rfc_valid)
        created = (
            datetime.datetime(2024, 6, 1) + datetime.timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 1440))
        ).replace(tzinfo=timezone.get_current_timezone())  # what make_aware does, without its checks
        supplier = SimpleNamespace(
            program_id=program.pk,
            legal_name=legal_name,
            trade_name=base_name,
            rfc=rfc,
            rfc_checksum_valid=rfc_valid,  # make_rfc's check digit (tests hold it equal to check_rfc's)
            person_type=Supplier.PersonType.MORAL,
            state_id=states[state_code].pk,
            municipality=municipality,
            scian_code=scian["code"],
            sector=sector.value,
            year_founded=founded,
            employees=employees,
            annual_sales_mdp=sales,
            export_share=Decimal(rng.choice([0, 0, 0, 5, 10, 20, 35, 60])),
            size=stratum.size.value,
            employee_range=stratum.employee_range.value,
            status=status,
            status_reason="RFC sin Constancia de Situación Fiscal válida." if status == "rejected" else "",
            privacy_notice_version=settings.SDP_PRIVACY_NOTICE_VERSION,
            privacy_accepted_at=created,
            submitted_at=created if status != "draft" else None,
            verified_at=created + datetime.timedelta(days=rng.randint(2, 20)) if status == "verified" else None,
            created_at=created,  # registrations keep their real dates
            updated_at=created,
        )
        first, last1, last2 = (
            rng.choice(names["first_names"]),
            rng.choice(names["last_names"]),
            rng.choice(names["last_names"]),
        )
        contact = SimpleNamespace(
            name=f"{first} {last1} {last2}",
            position=rng.choice(["Director General", "Gerente de Calidad", "Gerente de Ventas", "Dueño"]),
            email=f"contacto{i}@{EMAIL_DOMAIN}",
            phone=f"+52{rng.choice(['81', '33', '55'])}{rng.randint(10**7, 10**8 - 1)}",  # E.164, as stored
            language="en" if rng.random() < 0.08 else "es-mx",
            is_primary=True,
            email_verified_at=created if status != "draft" else None,
        )
        return supplier, contact, created

    SUPPLIER_CHUNK = 20_000

    def suppliers(self, program: Program) -> tuple[int, list[int]]:
        existing = set(Contact.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values_list("email", flat=True))
        states = {s.code: s for s in State.objects.all()}
        industry = [c for c in self.scian_classes if sector_for_scian(c["code"]) == "industria"]
        scian_choices = industry * 4 + list(self.scian_classes)
        areas = list(CriticalSupplyArea.objects.filter(program=program).order_by("pk"))
        anchors = list(AnchorCompany.objects.filter(program=program).order_by("pk"))
        certs = {c.code: c for c in CertificationStandard.objects.all()}
        taken_rfcs = set(
            Supplier.objects.filter(program=program, status__in=Supplier.RFC_UNIQUE_STATUSES).values_list(
                "rfc", flat=True
            )
        )
        created_ids: list[int] = []
        self._written = 0
        # Each chunk is drawn here (its SMEs, then their relations) while two writers copy the ones before: one
        # the SMEs with their companies and contacts, the other their relations, committed once the SMEs are.
        threaded = self.WORKERS > 1
        companies = stored_companies()  # and those the chunks add, in order (one writer writes them)
        with Writer(threaded=threaded) as writer, Writer(threaded=threaded) as relations_writer:
            for start in range(0, self.size, self.SUPPLIER_CHUNK):
                chunk = []
                for i in range(start, min(start + self.SUPPLIER_CHUNK, self.size)):
                    row = self._supplier_row(i, program, states, scian_choices)  # always drawn: keeps runs identical
                    if f"contacto{i}@{EMAIL_DOMAIN}" in existing:
                        continue
                    supplier = row[0]
                    if supplier.status in Supplier.RFC_UNIQUE_STATUSES and supplier.rfc in taken_rfcs:
                        supplier.rfc = supplier.rfc[:-1] + ("A" if supplier.rfc[-1] != "A" else "B")
                        supplier.rfc_checksum_valid = check_rfc(supplier.rfc).checksum_valid
                    taken_rfcs.add(supplier.rfc)
                    chunk.append(row)
                if not chunk:
                    continue
                suppliers = [supplier for supplier, _, _ in chunk]
                for supplier, pk in zip(suppliers, take_ids(Supplier, len(suppliers)), strict=True):
                    supplier.pk = pk
                    created_ids.append(pk)
                contacts = []
                for supplier, contact, _ in chunk:
                    contact.supplier_id = supplier.pk
                    contacts.append(contact)
                relations = self._supplier_relations(suppliers, areas, anchors, certs)
                written = Committed()
                writer.submit(
                    functools.partial(self._write_suppliers, suppliers, contacts, companies, written, self.size)
                )
                relations_writer.submit(functools.partial(self._write_relations, relations, written))
        self._duplicates(program)
        return len(created_ids), created_ids

    def _write_suppliers(self, suppliers, contacts, companies: dict, written: Committed, total: int) -> None:
        """Write a chunk of SMEs (ids given), their companies and contacts, in one transaction; ``companies``: the
        stored ones by RFC (``link_companies``), ``written`` tells the writer of their relations when it has
        committed."""
        with written.signalling(), transaction.atomic():
            link_companies(suppliers, companies)
            copy_with_ids(Supplier, suppliers, ids=[s.pk for s in suppliers])
            copy_with_ids(Contact, contacts)
        self._written += len(suppliers)
        if total > self.SUPPLIER_CHUNK:
            self.log(f"  {self._written}/{total} SMEs")

    def _write_relations(self, relations, suppliers_written: Committed) -> None:
        """Write the supply areas, anchor customers, certifications and annual figures of a chunk of SMEs in one
        transaction, committed after the SMEs' own (their foreign keys are checked at commit)."""
        area_links, anchor_links, certifications, figures = relations
        with transaction.atomic():
            copy_insert_rows(Supplier.supply_areas.through, ("supplier_id", "criticalsupplyarea_id"), area_links)
            copy_insert_rows(Supplier.anchor_customers.through, ("supplier_id", "anchorcompany_id"), anchor_links)
            copy_insert_rows(
                Certification,
                (
                    "supplier_id",
                    "standard_id",
                    "certificate_number",
                    "issuer",
                    "issued_on",
                    "expires_on",
                    "created_at",
                    "updated_at",
                ),
                certifications,
            )
            copy_insert_rows(AnnualFigure, ("supplier_id", "year", "sales_mdp", "employees"), figures)
            suppliers_written.wait()

    def _supplier_relations(self, suppliers, areas, anchors, certs) -> tuple[list, list, list, list]:
        """The supply areas, anchor customers, certifications and annual figures of ``suppliers`` (with their
        ids), drawn: rows for ``_write_suppliers``."""
        rng = self.rng
        area_links, anchor_links, certifications, figures = [], [], [], []
        now = timezone.now()
        for supplier in suppliers:
            for area in rng.sample(areas, k=rng.choice([1, 1, 2, 2, 3])):
                area_links.append((supplier.pk, area.pk))
            if rng.random() < 0.2:
                for anchor in rng.sample(anchors, k=rng.choice([1, 2])):
                    anchor_links.append((supplier.pk, anchor.pk))
            for code, share in CERT_SHARES:
                if rng.random() < share and code in certs:
                    issued = datetime.date(rng.randint(2020, 2024), rng.randint(1, 12), 1)
                    certifications.append(
                        (
                            supplier.pk,
                            certs[code].pk,
                            f"MX-{rng.randint(10000, 99999)}",
                            rng.choice(["TÜV", "Bureau Veritas", "SGS", "DQS", "IMNC"]),
                            issued,
                            issued.replace(year=issued.year + 3),
                            now,
                            now,
                        )
                    )
            growth = rng.gauss(0.07, 0.12)
            sales = supplier.annual_sales_mdp
            headcount = supplier.employees
            for year in (2024, 2023, 2022):
                figures.append((supplier.pk, year, sales.quantize(Decimal("0.001")), max(1, headcount)))
                sales = max(Decimal("0.1"), sales / Decimal(str(1 + growth)))
                headcount = int(headcount / (1 + growth / 2))
        return area_links, anchor_links, certifications, figures

    def _duplicates(self, program: Program) -> None:
        """A few SMEs registered twice: the second registration is kept as a duplicate for staff."""
        if Supplier.objects.filter(program=program, status=Supplier.Status.DUPLICATE).exists():
            return
        originals = list(
            Supplier.objects.filter(program=program, status=Supplier.Status.VERIFIED)
            .order_by("pk")
            .values_list("pk", flat=True)[: max(1, self.size // 60)]
        )
        with transaction.atomic():
            copy_duplicates(
                original_ids=originals, reason="Mismo RFC que un registro verificado.", email_domain=EMAIL_DOMAIN
            )

    # -- diagnostics ----------------------------------------------------------------------------
    DIAGNOSTIC_CHUNK = 10_000
    SCORING_CHUNK = 1000  # the batch size the scoring statement is measured at (bench/scoring.py)
    WORKERS = 2  # connections writing and scoring at once (the machine's two cores); 1: all on the caller's

    def diagnostics(self, supplier_ids: list[int]) -> int:
        """Diagnostics of a share of the verified SMEs, written in chunks of 10,000 and scored in chunks of 1,000.

        Diagnostics are copied in, their answers generated by one statement per chunk
        (``demo.loading.insert_answers``); the submitted ones are then scored by the set-based batch path
        (a fixed number of queries per chunk), 70 % of them validated and published. Every draw is made
        here, in order, before the chunks are written; the chunks are written (then scored) on
        ``WORKERS`` connections at once (``demo.loading.run_jobs``): the same data either way.
        """
        framework = Framework.objects.get(code=FRAMEWORK_CODE, version=FRAMEWORK_VERSION)
        question_ids = list(
            Question.objects.filter(dimension__framework=framework)
            .order_by("dimension__order", "order", "code")
            .values_list("pk", flat=True)
        )
        staff = get_user_model().objects.get(username=self.LOGINS["program staff"][0])
        verified = list(
            Supplier.objects.filter(pk__in=supplier_ids, status=Supplier.Status.VERIFIED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = [pk for pk in verified if self.rng.random() < self.diagnosed_share]
        submitted: list[int] = []
        jobs = []
        for start in range(0, len(chosen), self.DIAGNOSTIC_CHUNK):
            chunk = self._draw_diagnostic_chunk(chosen[start : start + self.DIAGNOSTIC_CHUNK], framework, staff)
            submitted += [d.pk for d, (finished, _) in zip(chunk[0], chunk[1], strict=True) if finished]
            jobs.append(functools.partial(self._write_diagnostic_chunk, *chunk, question_ids, staff, len(chosen)))
        self._written = 0
        run_jobs(jobs, workers=self.WORKERS)
        self.lap("diagnostics and answers written")
        # Fresh planner statistics before scoring: estimates from the empty tables pick plans that
        # are orders of magnitude slower on the loaded ones.
        self.analyze(tables=("assessments_diagnostic", "assessments_answer"))
        self.lap("statistics of diagnostics and answers")
        now = timezone.now()
        jobs = []
        for start in range(0, len(submitted), self.SCORING_CHUNK):
            ids = submitted[start : start + self.SCORING_CHUNK]
            validated = [pk for pk in ids if self.rng.random() < 0.7]
            jobs.append(functools.partial(self._score_chunk, ids, validated, staff, now, len(submitted)))
        self._scored = 0
        run_jobs(jobs, workers=self.WORKERS)
        self.lap(f"{len(submitted)} diagnostics scored, 70 % validated")
        return len(chosen)

    def _score_chunk(self, chunk: list[int], validated: list[int], staff, now, total: int) -> None:
        with transaction.atomic():
            assessment_services.diagnostics_score(diagnostic_ids=chunk, actor=staff)
            Diagnostic.objects.filter(pk__in=validated).update(
                status=Diagnostic.Status.VALIDATED, validated_at=now, validated_by=staff, published_at=now
            )
        with self._progress:
            before, self._scored = self._scored, self._scored + len(chunk)
            if total > 10_000 and (before // 10_000 != self._scored // 10_000 or self._scored == total):
                self.log(f"  {self._scored}/{total} diagnostics scored")

    def _draw_diagnostic_chunk(self, supplier_ids, framework, staff) -> tuple[list, list, float]:
        """The diagnostics of ``supplier_ids`` (with their ids) and each one's (finished, maturity), and the
        seed of its answers' draws."""
        rng = self.rng
        now = timezone.now()
        modes = list(Diagnostic.Mode.values)
        diagnostics, plans = [], []
        for supplier_id in supplier_ids:
            finished = rng.random() < 0.88
            diagnostics.append(
                SimpleNamespace(
                    supplier_id=supplier_id,
                    framework_id=framework.pk,
                    assessor_id=staff.pk,
                    scheduled_for=datetime.date(2025, rng.randint(1, 5), rng.randint(1, 28)),
                    mode=rng.choice(modes),
                    status=Diagnostic.Status.SUBMITTED if finished else Diagnostic.Status.IN_PROGRESS,
                    submitted_at=now if finished else None,
                )
            )
            plans.append((finished, rng.uniform(1.4, 4.6)))
        for diagnostic, pk in zip(diagnostics, take_ids(Diagnostic, len(diagnostics)), strict=True):
            diagnostic.pk = pk
        return diagnostics, plans, rng.uniform(-1, 1)

    def _write_diagnostic_chunk(self, diagnostics, plans, seed: float, question_ids, staff, total: int) -> None:
        """Write the diagnostics drawn by ``_draw_diagnostic_chunk`` with their answers, in one transaction."""
        with transaction.atomic():
            copy_with_ids(Diagnostic, diagnostics, ids=[d.pk for d in diagnostics])
            insert_answers(
                plans=[(d.pk, finished, maturity) for d, (finished, maturity) in zip(diagnostics, plans, strict=True)],
                question_ids=question_ids,
                na_reasons=NA_REASONS,
                answered_by_id=staff.pk,
                seed=seed,
            )
        with self._progress:
            self._written += len(diagnostics)
            if total > self.DIAGNOSTIC_CHUNK:
                self.log(f"  {self._written}/{total} diagnostics answered")

    # -- people ---------------------------------------------------------------------------------
    def users(self, program: Program) -> None:
        user_model = get_user_model()
        groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ROLE_GROUPS}
        username, password = self.LOGINS["program staff"]
        staff, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "email": "staff@demo.sdp.mx",
                "first_name": "Personal",
                "last_name": "del Programa",
                "is_staff": True,
            },
        )
        if created:
            staff.set_password(password)
            staff.save()
        staff.groups.add(groups[roles.STAFF_GROUP])
        ProgramStaff.objects.get_or_create(user=staff, program=program)
        username, password = self.LOGINS["anchor reviewer"]
        anchor_user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"email": "revisor@ancla.demo.sdp.mx", "first_name": "Revisora", "last_name": "Ancla"},
        )
        if created:
            anchor_user.set_password(password)
            anchor_user.save()
        anchor_user.groups.add(groups[roles.ANCHOR_GROUP])
        AnchorReviewer.objects.get_or_create(
            user=anchor_user,
            defaults={
                "anchor": AnchorCompany.objects.filter(program=program).order_by("name").first(),
                "is_administrator": True,
            },
        )

    @staticmethod
    def _demo_sme_contact() -> Contact | None:
        """The contact the demo SME login is given: of the first SME with published results."""
        return (
            Contact.objects.filter(
                email__endswith=f"@{EMAIL_DOMAIN}", is_primary=True, supplier__diagnostics__published_at__isnull=False
            )
            .order_by("pk")
            .first()
            or Contact.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").order_by("pk").first()
        )

    def demo_sme(self) -> Supplier | None:
        """The demo SME's company: the SME login's, else the one the login would be given."""
        own = (  # its first participation (the company also takes part in the second program)
            Contact.objects.filter(user__username=self.LOGINS["SME"][0])
            .select_related("supplier")
            .order_by("pk")
            .first()
        )
        contact = own or self._demo_sme_contact()
        return contact.supplier if contact is not None else None

    def sme_login(self) -> None:
        """Give the demo SME login to the first SME with published results."""
        username, password = self.LOGINS["SME"]
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            return
        contact = self._demo_sme_contact()
        if contact is None:
            return
        user = user_model.objects.create_user(
            username=username, email=contact.email, password=password, first_name=contact.name.split()[0]
        )
        user.groups.add(Group.objects.get_or_create(name=roles.SME_GROUP)[0])
        contact.user = user
        contact.save(update_fields=["user"])

    def analyze(self, tables: tuple[str, ...] = ()) -> None:
        """Refresh the planner statistics after a bulk load (autovacuum may lag far behind: with
        estimates from an empty table, report queries picked plans 1,000x slower), of ``tables`` or of
        every table holding rows whose statistics are missing or older than its rows. Not inside a
        transaction (a test's), where the loaded rows are not committed yet.

        An empty table keeps no statistics: analyzed empty, the planner takes it for empty for good (not
        for the ten pages it assumes of a table never analyzed), and a statement filling it from a query
        that also reads it (the consents' ``NOT EXISTS``) rescans it for every row it adds."""
        if connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            if not tables:
                cursor.execute(STALE_TABLES_SQL)
                tables = tuple(name for (name,) in cursor.fetchall())
            if tables:
                cursor.execute(f"ANALYZE {', '.join(tables)}")

    def cohort(self, program: Program) -> None:
        """Take the 2025 cohort through its decisions (candidates, a few limits, the optimizer's proposal,
        the anchor review, the decisions committed)."""
        from cohorts import services as cohort_services

        staff = get_user_model().objects.get(username=self.LOGINS["program staff"][0])
        first = Cohort.objects.get(program=program, name="Cohorte 2025")
        if first.status == Cohort.Status.DRAFT and not first.candidates.exists():
            with transaction.atomic():
                if self._propose_and_review(program, first, staff) and self.decide:
                    cohort_services.cohort_stage_from_proposal(cohort=first, actor=staff, waitlist_size=10)
                    first.refresh_from_db()
                    counts = cohort_services.cohort_commit_decisions(
                        cohort=first, actor=staff, expected_version=first.version
                    )
                    self.log(f"  Cohorte 2025: decisions committed {counts}")
                    self.lap("Cohorte 2025: decisions staged and committed")
            self.analyze()  # the 2025 candidacies, read by the 2026 cohort's build
            self.lap("Cohorte 2025: committed, statistics refreshed")

    def next_cohort(self, program: Program) -> None:
        """Take the 2026 cohort to its anchor review: its candidates leave out the SMEs selected in 2025, with
        the reason. It reads nothing the financing, support and follow-up steps write, nor they anything it
        writes: ``_run`` builds it on a connection of its own while they run."""
        staff = get_user_model().objects.get(username=self.LOGINS["program staff"][0])
        second = Cohort.objects.get(program=program, name="Cohorte 2026")
        if self.decide and second.status == Cohort.Status.DRAFT and not second.candidates.exists():
            with transaction.atomic():
                self._propose_and_review(program, second, staff)

    def after_decisions(self, program: Program, *, done=lambda what: None) -> None:
        """What follows the 2025 cohort's decisions: the 2026 cohort (``next_cohort``) is built on a connection
        of its own (from a thread) while the 2025 cohort's financing cases, support and follow-up rounds are
        written on the caller's, so that both cores work; ``done(what)`` is told each step of the caller's.
        Inside a transaction (a test's), or with one worker, the 2026 cohort is built first, on the caller's
        connection: the same data either way."""
        with Writer(threaded=self.WORKERS > 1) as alongside:
            alongside.submit(functools.partial(self.next_cohort, program))
            cases = self.financing(program)
            done(f"{cases} new financing cases")
            self.support(program)
            done("support")
            if self.decide:
                from .outcomes import seed_outcomes

                rounds = seed_outcomes(program=program, staff_username=self.LOGINS["program staff"][0], seed=self.seed)
                done(f"{rounds} follow-up rounds")

    def _propose_and_review(self, program: Program, cohort: Cohort, staff) -> bool:
        """Candidates, limits (every area the anchors demand most gets at least one SME; no region takes
        more than half), the optimizer's proposal and, when feasible, the anchor review."""
        from cohorts import services as cohort_services
        from cohorts.models import CohortAreaLimit, CohortGeoCap

        self.lap(f"{cohort.name}: before the candidates")
        summary = cohort_services.cohort_build_candidates(cohort=cohort, actor=staff)
        self.lap(f"{cohort.name}: {summary['eligible']} eligible candidates built")
        earlier = cohort.candidates.filter(ineligibility_reasons__contains=[{"code": "selected_earlier"}]).count()
        if summary["eligible"] < cohort.min_size:
            self.log(f"  {cohort.name}: only {summary['eligible']} eligible SMEs, no proposal")
            return False
        for area in CriticalSupplyArea.objects.filter(program=program).order_by("code")[:8]:
            CohortAreaLimit.objects.get_or_create(cohort=cohort, area=area, defaults={"minimum": 1, "maximum": 12})
        for region in Region.objects.all():
            CohortGeoCap.objects.get_or_create(cohort=cohort, region=region, defaults={"maximum": cohort.max_size // 2})
        self.lap(f"{cohort.name}: limits")
        proposal = cohort_services.cohort_propose(cohort=cohort, actor=staff)
        self.lap(f"{cohort.name}: optimizer proposal ({proposal['seconds']} s in the solver)")
        self.log(
            f"  {cohort.name}: {summary['eligible']} eligible ({earlier} selected in an earlier cohort), "
            f"proposal {proposal['status']} (objective {proposal['objective']}, "
            f"greedy {proposal['greedy'].get('objective')})"
        )
        if proposal["status"] not in ("optimal", "feasible"):
            return False
        cohort_services.cohort_open_review(
            cohort=cohort, deadline=timezone.now() + datetime.timedelta(days=21), actor=staff
        )
        cohort.refresh_from_db()
        self.lap(f"{cohort.name}: anchor review opened")
        return True

    # The demo's financing cases: (institution, product, bank, MXN requested, days since referral, the steps
    # taken as (step, days after the referral, amount), the reason of a rejection).
    FINANCING = (
        ("nafin", "credit", "Banorte", 1_500_000, 12, (), ""),
        ("bancomext", "credit", "BBVA México", 4_000_000, 45, (), ""),  # 30 days and more: staff are reminded
        ("nafin", "guarantee", "Santander", 800_000, 20, (("application", 5, None),), ""),
        ("nafin", "factoring", "", 600_000, 70, (("application", 3, None),), ""),
        ("bancomext", "credit", "Banamex", 2_500_000, 50, (("application", 10, None),), ""),
        ("nafin", "credit", "BanBajío", 1_200_000, 60, (("application", 7, None), ("approved", 30, 1_000_000)), ""),
        ("bancomext", "guarantee", "HSBC", 3_000_000, 40, (("application", 6, None), ("approved", 25, 3_000_000)), ""),
        (
            "nafin",
            "credit",
            "Banorte",
            900_000,
            90,
            (("application", 10, None), ("rejected", 40, None)),
            "El banco no aceptó las garantías ofrecidas; la PyME puede volver a solicitar con un aval.",
        ),
        (
            "nafin",
            "credit",
            "Banorte",
            2_000_000,
            120,
            (
                ("application", 10, None),
                ("approved", 45, 1_800_000),
                ("disbursed", 60, 1_000_000),
                ("disbursed", 90, 800_000),
            ),
            "",
        ),
        (
            "nafin",
            "factoring",
            "",
            450_000,
            80,
            (("application", 2, None), ("approved", 9, 450_000), ("disbursed", 12, 450_000)),
            "",
        ),
        (
            "bancomext",
            "credit",
            "Santander",
            5_000_000,
            150,
            (("application", 15, None), ("approved", 60, 4_000_000), ("disbursed", 75, 2_500_000)),
            "",
        ),
        ("other", "credit", "", 300_000, 8, (), ""),
    )

    def financing(self, program: Program) -> int:
        """A dozen financing cases of the SMEs selected in 2025, at every step: one rejected, one disbursed in
        two parts. Nothing when the cohort has no decisions or the cases exist."""
        from cohorts.models import Candidate
        from support import services as support_services
        from support.models import FinancingCase

        selected = list(
            Candidate.objects.filter(cohort__program=program, status=Candidate.Status.SELECTED).order_by("pk")[
                : len(self.FINANCING)
            ]
        )
        if (
            len(selected) < len(self.FINANCING)
            or FinancingCase.objects.filter(candidate__cohort__program=program).exists()
        ):
            return 0
        staff = get_user_model().objects.get(username=self.LOGINS["program staff"][0])
        anchors = list(AnchorCompany.objects.filter(program=program).order_by("name"))
        today = timezone.localdate()
        with transaction.atomic():
            for candidate, (institution, product, bank, requested, ago, steps, reason) in zip(
                selected, self.FINANCING, strict=True
            ):
                referred = today - datetime.timedelta(days=ago)
                case = support_services.financing_case_open(
                    candidate=candidate,
                    actor=staff,
                    institution=institution,
                    institution_name="Fondo estatal de fomento" if institution == "other" else "",
                    product=product,
                    bank=bank,
                    anchor=anchors[candidate.pk % len(anchors)] if product == "factoring" else None,
                    amount_requested=Decimal(requested),
                    referred_on=referred,
                )
                for step, after, amount in steps:
                    on = referred + datetime.timedelta(days=after)
                    if step == "disbursed":
                        support_services.financing_disbursement_add(
                            case=case, actor=staff, amount=Decimal(amount), on=on, expected_version=None
                        )
                    else:
                        case = support_services.financing_case_move(
                            case=case,
                            actor=staff,
                            to=step,
                            on=on,
                            expected_version=None,
                            amount_approved=Decimal(amount) if amount else None,
                            reason=reason if step == "rejected" else "",
                        )
        return len(self.FINANCING)

    def support(self, program: Program) -> None:
        """Plans, providers, visits and courses for the first selected SMEs of the 2025 cohort (``demo.support``)."""
        from .support import add_demo_files, build_support

        staff = get_user_model().objects.get(username=self.LOGINS["program staff"][0])
        build_support(program, staff=staff, logins=self.LOGINS, log=self.log)
        add_demo_files(program, logins=self.LOGINS, log=self.log)

    # Above this many SMEs the seed's messages (a result to every candidate) stay pending in the outbox for the
    # periodic sender instead of each being queued, or sent in-process, when its transaction commits.
    HOLD_MESSAGES_ABOVE = 2_000

    def run(self) -> dict:
        if self.size > self.HOLD_MESSAGES_ABOVE:
            with notifications.held(), self._commits_unflushed():
                return self._run()
        return self._run()

    @contextlib.contextmanager
    def _commits_unflushed(self):
        """A large seed commits without waiting for each commit's write-ahead log to reach the disk
        (``synchronous_commit = off``): a crash may lose the last commits of the seed, never corrupt the
        database; the seed is run again. Outside a transaction only (a test's would keep the setting)."""
        if connection.in_atomic_block:
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")

    def _run(self) -> dict:
        started = step = self._laps.at = time.perf_counter()

        def done(what: str) -> None:
            nonlocal step
            now = time.perf_counter()
            if self.timings:
                load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
                self.log(f"  {what} ({now - started:.1f} s; this step {now - step:.1f} s, load average {load})")
            else:
                self.log(f"  {what} ({now - started:.1f} s)")
            step = self._laps.at = now

        program = self.reference()
        seed_partners(program)
        self.users(program)
        done("reference data and logins")
        created, ids = self.suppliers(program)
        done(f"{created} new SMEs")
        diagnostics = self.diagnostics(ids)
        done(f"{diagnostics} new diagnostics")
        self.sme_login()
        self.analyze()
        done("statistics refreshed")
        self.cohort(program)
        done("Cohorte 2025")
        self.after_decisions(program, done=done)
        done("Cohorte 2026 (built alongside)")
        second_program.build_second_program(program, shared=self.demo_sme())
        done("second program (home appliances), sharing an SME")
        from .sourcing import seed_sourcing

        staff = get_user_model().objects.get(username=self.LOGINS["program staff"][0])
        seed_sourcing(program, staff, rng=self.rng, log=self.log)
        done("sourcing")
        if self.decide and self.follow_ups:
            from .outcomes import seed_more_follow_ups

            more = seed_more_follow_ups(
                program=program, staff_username=staff.username, follow_ups=self.follow_ups, seed=self.seed
            )
            done(f"{more} more follow-up rounds")
        from .invitations import seed_invitations

        invited = seed_invitations(program, staff, rng=self.rng, log=self.log)
        done(f"{invited} SMEs invited from a member list")
        self.analyze()  # the records read (and write) the tables the steps since the last statistics wrote
        done("statistics refreshed")
        from .records import seed_records

        seed_records(
            program,
            staff_username=staff.username,
            anchor_username=self.LOGINS["anchor reviewer"][0],
            sme_usernames=(self.LOGINS["SME"][0], self.LOGINS["selected SME"][0]),
            review=self.decide,
            log=self.log,
        )
        done("consents, documents, reviews, a token and a download")
        return {
            "suppliers": Supplier.objects.filter(program=program).count(),
            "created": created,
            "diagnostics": Diagnostic.objects.filter(supplier__program=program).count(),
            "anchors": AnchorCompany.objects.filter(program=program).count(),
            "areas": CriticalSupplyArea.objects.filter(program=program).count(),
        }
