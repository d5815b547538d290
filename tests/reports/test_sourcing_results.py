"""The sourcing results of the program and cohort reports equal a recomputation in plain Python from the rows
(opportunities, their areas, invitations and the steps they reached, the SMEs' states and cohort
selections), through random changes by the ORM, bulk paths and raw SQL; the cached report follows every one."""

import csv
import datetime
import io
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from cohorts.models import Candidate
from programs.models import AnchorCompany
from reports import cache as report_cache
from reports.selectors import ReportScope, report_figures, report_summary
from sourcing.models import AnchorVisibility, Invitation, Opportunity
from suppliers.models import Supplier
from tests.cohorts.factories import CandidateFactory, CohortFactory
from tests.sourcing.world import SourcingWorld

pytestmark = [pytest.mark.django_db, pytest.mark.sql]

TRACK = ("invited", "interested", "quoted", "ppap", "purchase_order", "supplying")
FIGURES = ("opportunities", "smes_invited", "quoted", "ppap", "purchase_orders", "value_awarded_mxn")


def recomputed(scope: ReportScope) -> dict:
    """Every figure of the section, from the rows alone."""
    whole = scope.cohort is None and scope.phase is None
    program = scope.program
    opportunities = {
        o["id"]: o
        for o in Opportunity.objects.filter(anchor__program=program).values("id", "anchor_id", "status")
        if o["status"] != "withdrawn"
    }
    areas = defaultdict(set)
    for opportunity_id, area_id in Opportunity.areas.through.objects.values_list(
        "opportunity_id", "criticalsupplyarea_id"
    ):
        areas[opportunity_id].add(area_id)
    selections = defaultdict(set)  # supplier -> cohorts where it was selected (in the scope's cohorts)
    for supplier_id, cohort_id, status in Candidate.objects.values_list("supplier_id", "cohort_id", "status"):
        if status == "selected" and (whole or cohort_id == scope.cohort.pk):
            selections[supplier_id].add(cohort_id)
    states = dict(Supplier.objects.values_list("id", "state__code"))
    invitations = [
        i
        for i in Invitation.objects.values("opportunity_id", "supplier_id", "reached", "purchase_order_value_mxn")
        if i["opportunity_id"] in opportunities and (whole or i["supplier_id"] in selections)
    ]

    def figures(rows, posted=None) -> dict:
        out = {
            "opportunities": len({i["opportunity_id"] for i in rows}) if posted is None else posted,
            "smes_invited": len({i["supplier_id"] for i in rows}),
            "quoted": sum("quoted" in i["reached"] for i in rows),
            "ppap": sum("ppap" in i["reached"] for i in rows),
            "purchase_orders": sum("purchase_order" in i["reached"] for i in rows),
            "value_awarded_mxn": sum(
                (i["purchase_order_value_mxn"] or Decimal("0") for i in rows if "purchase_order" in i["reached"]),
                Decimal("0"),
            ),
        }
        return out

    result = {"totals": figures(invitations, len(opportunities) if whole else None), "by_anchor": {}}
    for anchor_id in AnchorCompany.objects.filter(program=program).values_list("id", flat=True):
        rows = [i for i in invitations if opportunities[i["opportunity_id"]]["anchor_id"] == anchor_id]
        posted = sum(o["anchor_id"] == anchor_id for o in opportunities.values()) if whole else None
        result["by_anchor"][anchor_id] = figures(rows, posted)
    from programs.models import CriticalSupplyArea

    codes = dict(CriticalSupplyArea.objects.values_list("id", "code"))
    result["by_area"] = {}
    for area_id in {a for o in opportunities for a in areas[o]}:
        rows = [i for i in invitations if area_id in areas[i["opportunity_id"]]]
        if whole or rows:
            posted = sum(area_id in areas[o] for o in opportunities) if whole else None
            result["by_area"][codes[area_id]] = figures(rows, posted)
    result["by_state"] = {
        code: figures([i for i in invitations if states[i["supplier_id"]] == code])
        for code in {states[i["supplier_id"]] for i in invitations}
    }
    by_cohort = {}
    for cohort_id in {c for i in invitations for c in selections[i["supplier_id"]]}:
        by_cohort[cohort_id] = figures([i for i in invitations if cohort_id in selections[i["supplier_id"]]])
    apart = [i for i in invitations if not selections[i["supplier_id"]]]
    if apart:
        by_cohort[None] = figures(apart)
    result["by_cohort"] = by_cohort
    return result


def from_report(section: dict) -> dict:
    def figures(row):
        return {f: row[f] for f in FIGURES}

    return {
        "totals": figures(section["totals"]),
        "by_anchor": {row["key"]: figures(row) for row in section["by_anchor"]},
        "by_area": {row["key"]: figures(row) for row in section["by_area"]},
        "by_state": {row["key"]: figures(row) for row in section["by_state"]},
        "by_cohort": {row["key"]: figures(row) for row in section["by_cohort"]},
    }


class Program(SourcingWorld):
    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng
        self.second = CohortFactory(program=self.program, name="Segunda", year=2027)
        self.smes = [self.strong, self.weak, self.hidden]
        for i in range(9):
            sme = self.sme(score=30 + 6 * i, state=rng.choice([self.gto, self.qro, self.nl]), areas=("plastics",))
            AnchorVisibility.objects.create(supplier=sme, visible=True, changed_at=timezone.now())
            self.smes.append(sme)
        for sme in self.smes:
            for cohort in (self.cohort, self.second):
                if rng.random() < 0.4:
                    CandidateFactory(
                        cohort=cohort, supplier=sme, status=rng.choice(["selected", "selected", "not_selected"])
                    )
        self.opportunities = [self.opportunity() for _ in range(5)]
        for _ in range(14):
            self.invite()

    def opportunity(self) -> Opportunity:
        rng = self.rng
        data = self.data(title=f"Oportunidad {rng.randint(1, 999)}")
        opportunity = Opportunity.objects.create(anchor=rng.choice([self.anchor_a, self.anchor_b]), **data)
        opportunity.areas.set(rng.sample([self.stamping, self.plastics], rng.randint(1, 2)))
        return opportunity

    def invite(self) -> None:
        rng = self.rng
        opportunity, sme = rng.choice(self.opportunities), rng.choice(self.smes)
        if Invitation.objects.filter(opportunity=opportunity, supplier=sme).exists():
            return
        invitation = Invitation.objects.create(opportunity=opportunity, supplier=sme, reached={"invited": "2026-01-05"})
        self.advance(invitation, rng.randint(0, len(TRACK) - 1))

    def advance(self, invitation: Invitation, steps: int) -> None:
        """Move the invitation ``steps`` along its track (sometimes lost, or declined at the start)."""
        rng = self.rng
        reached = dict(invitation.reached)
        status = invitation.status
        for step in TRACK[TRACK.index(status) + 1 if status in TRACK else len(TRACK) :][:steps]:
            reached[step] = "2026-02-01"
            status = step
        value = invitation.purchase_order_value_mxn
        if "purchase_order" in reached and value is None:
            value = Decimal(rng.randint(1, 80) * 125000) if rng.random() < 0.9 else None
        if rng.random() < 0.15:
            status = "declined" if status in ("invited", "interested") else "lost"
            reached[status] = "2026-03-01"
        Invitation.objects.filter(pk=invitation.pk).update(
            status=status, reached=reached, purchase_order_value_mxn=value
        )

    def change(self) -> str:
        rng = self.rng
        what = rng.choice(
            ["invite", "advance", "delete", "withdraw", "reopen", "areas", "state", "selection", "post", "value"]
        )
        invitations = list(Invitation.objects.all())
        if what == "invite":
            self.invite()
        elif what == "advance" and invitations:
            self.advance(rng.choice(invitations), rng.randint(1, 3))
        elif what == "delete" and invitations:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM sourcing_invitation WHERE id = %s", [rng.choice(invitations).pk])
        elif what == "withdraw":
            Opportunity.objects.filter(pk=rng.choice(self.opportunities).pk).update(status="withdrawn")
        elif what == "reopen":
            Opportunity.objects.filter(status="withdrawn").update(status="open")
        elif what == "areas":
            rng.choice(self.opportunities).areas.set(rng.sample([self.stamping, self.plastics], rng.randint(1, 2)))
        elif what == "state":
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE suppliers_supplier SET state_id = %s WHERE id = %s",
                    [rng.choice([self.gto, self.qro, self.nl]).pk, rng.choice(self.smes).pk],
                )
        elif what == "selection":
            Candidate.objects.filter(pk__in=Candidate.objects.order_by("?").values("pk")[:2]).update(
                status=rng.choice(["selected", "not_selected", "withdrawn"])
            )
        elif what == "post":
            self.opportunities.append(self.opportunity())
        elif what == "value" and invitations:
            Invitation.objects.filter(pk=rng.choice(invitations).pk, reached__has_key="purchase_order").update(
                purchase_order_value_mxn=Decimal(rng.randint(0, 40) * 50000)
            )
        return what


def cached(scope: ReportScope, django_assert_num_queries) -> dict:
    report_summary(scope)
    with django_assert_num_queries(1):  # only the data version is read
        return report_summary(scope)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sourcing_results_equal_a_recomputation_and_the_cache_follows_every_change(seed, django_assert_num_queries):
    cache.clear()
    rng = random.Random(seed)
    world = Program(rng)
    scopes = [ReportScope(program=world.program), ReportScope.for_cohort(world.cohort)]
    seen = set()
    for step in range(16):
        what = world.change()
        for scope in scopes:
            fresh = report_figures(scope)["sourcing"]
            assert cached(scope, django_assert_num_queries)["sourcing"] == fresh, (step, what)
            assert from_report(fresh) == recomputed(scope), (step, what, scope)
            seen.add(fresh["totals"]["purchase_orders"] > 0)
    assert True in seen  # purchase orders were counted


def test_a_change_of_a_sourcing_table_moves_the_version():
    world = Program(random.Random(4))
    for change in (
        lambda: Opportunity.objects.filter(pk=world.opportunities[0].pk).update(status="closed"),
        lambda: world.opportunities[0].areas.set([world.plastics]),
        lambda: Invitation.objects.update(purchase_order_value_mxn=Decimal("1")),
    ):
        before = report_cache.data_version()
        change()
        assert report_cache.data_version() != before


def test_the_report_pages_show_the_sourcing_results(client):
    world = Program(random.Random(5))
    invitation = Invitation.objects.order_by("pk").first()
    Invitation.objects.filter(pk=invitation.pk).update(
        status="purchase_order",
        reached={"invited": "2026-01-05", "quoted": "2026-01-20", "purchase_order": "2026-02-01"},
        purchase_order_value_mxn=Decimal("2500000"),
        purchase_order_date=datetime.date(2026, 2, 1),
    )
    Candidate.objects.filter(supplier=invitation.supplier).delete()
    CandidateFactory(cohort=world.cohort, supplier=invitation.supplier, status="selected")
    client.force_login(world.staff)
    for url in (f"/staff/reports/programs/{world.program.pk}/", f"/staff/reports/cohorts/{world.cohort.pk}/"):
        page = client.get(url).content.decode()
        assert "Resultados de abastecimiento" in page, url
        assert 'id="sourcing"' in page and "Órdenes de compra" in page
        assert world.anchor_a.name in page and world.cohort.name in page
    api = client.get(f"/api/v1/reports/cohorts/{world.cohort.pk}/").json()
    assert api["sourcing"]["totals"]["purchase_orders"] >= 1


def test_the_sourcing_export_lists_the_section_rows(client):
    world = Program(random.Random(6))
    client.force_login(world.staff)
    response = client.get(f"/staff/reports/programs/{world.program.pk}/export/sourcing.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    section = report_figures(ReportScope(program=world.program))["sourcing"]
    total = section["totals"]
    assert rows[0][2:7] == [str(total[f]) for f in FIGURES[:5]]
    assert Decimal(rows[0][7]) == total["value_awarded_mxn"] > 0
    assert len(rows) == 1 + sum(len(section[k]) for k in ("by_anchor", "by_area", "by_state", "by_cohort"))
    assert {row[1] for row in rows} >= {world.anchor_a.name, world.anchor_b.name}
