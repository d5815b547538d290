"""core.bulk: COPY-based inserts and updates (PostgreSQL) with a bulk_create/bulk_update fallback."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.bulk import copy_insert, copy_insert_rows, copy_update
from programs.models import Region

pytestmark = pytest.mark.django_db


def test_copy_insert_writes_every_row_in_a_fixed_number_of_queries():
    with CaptureQueriesContext(connection) as small:
        copy_insert(Region, [Region(code=f"r{i}", name_es=f"Región {i}", order=i) for i in range(3)])
    with CaptureQueriesContext(connection) as large:
        copy_insert(Region, [Region(code=f"s{i}", name_es=f"Región {i}", order=i) for i in range(200)])
    assert Region.objects.filter(code__startswith="r").count() == 3
    assert Region.objects.filter(code__startswith="s").count() == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_copy_insert_rows_takes_plain_tuples():
    copy_insert_rows(
        Region, ("code", "name_es", "name_en", "order"), [("n1", "Norte 1", "", 1), ("n2", "Norte 2", "", 2)]
    )
    assert list(Region.objects.filter(code__in=["n1", "n2"]).order_by("code").values_list("name_es", "order")) == [
        ("Norte 1", 1),
        ("Norte 2", 2),
    ]


def test_copy_update_changes_only_the_named_fields():
    copy_insert(Region, [Region(code=f"u{i}", name_es=f"R{i}", name_en="x", order=i) for i in range(5)])
    regions = list(Region.objects.filter(code__startswith="u").order_by("code"))
    for region in regions:
        region.name_es = region.name_es + "!"
        region.name_en = "not saved"
    with CaptureQueriesContext(connection) as ctx:
        copy_update(Region, regions, ["name_es"])
    assert list(Region.objects.filter(code__startswith="u").order_by("code").values_list("name_es", "name_en")) == [
        (f"R{i}!", "x") for i in range(5)
    ]
    assert len(ctx.captured_queries) <= 5
    assert copy_update(Region, [], ["name_es"]) == 0 and copy_insert(Region, []) == 0


def test_decimal_and_json_values_round_trip():
    from assessments.models import Diagnostic, DimensionScore
    from tests.assessments.factories import build_framework
    from tests.suppliers.factories import SupplierFactory

    framework = build_framework()
    diagnostic = Diagnostic.objects.create(
        supplier=SupplierFactory(), framework=framework, scheduled_for="2025-01-01", status="submitted"
    )
    dimension = framework.dimensions.first()
    copy_insert(DimensionScore, [DimensionScore(diagnostic=diagnostic, dimension=dimension, score=Decimal("66.67"))])
    diagnostic.score_details = {"dimensions": {"quality": {"score": "66.67"}}}
    diagnostic.overall_score = Decimal("66.67")
    copy_update(Diagnostic, [diagnostic], ["score_details", "overall_score"])
    diagnostic.refresh_from_db()
    assert diagnostic.score_details == {"dimensions": {"quality": {"score": "66.67"}}}
    assert diagnostic.overall_score == Decimal("66.67")
    assert DimensionScore.objects.get(diagnostic=diagnostic).score == Decimal("66.67")


@pytest.mark.sql  # row locations: ctid moves when a row is written
def test_copy_update_changed_only_leaves_rows_that_already_hold_the_values_untouched():
    copy_insert(Region, [Region(code=f"c{i}", name_es=f"R{i}", name_en="x", order=i) for i in range(4)])
    regions = list(Region.objects.filter(code__startswith="c").order_by("code"))

    def versions() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT ctid::text FROM programs_region WHERE code LIKE 'c%%' ORDER BY code")
            return [row[0] for row in cursor.fetchall()]

    before = versions()
    regions[1].name_es, regions[3].name_en = "changed", "changed too"
    assert copy_update(Region, regions, ["name_es", "name_en"], changed_only=True) == 4
    after = versions()
    assert [b != a for b, a in zip(before, after, strict=True)] == [False, True, False, True]
    assert list(Region.objects.filter(code__startswith="c").order_by("code").values_list("name_es", "name_en")) == [
        ("R0", "x"),
        ("changed", "x"),
        ("R2", "x"),
        ("R3", "changed too"),
    ]
