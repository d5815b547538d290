"""The schema's indexes: none twice, and none on the tables that grow with the SMEs that a longer index
already serves.

Every index is one more for the planner to weigh on each query of its table and one more to write. Two
indexes of the same columns are one too many anywhere; on the tables with a row or more per SME (100,000
SMEs at scale) a plain B-tree whose columns lead another B-tree is redundant too (a foreign key's own index
when a composite index starts with it), as is the pattern-matching twin Django adds to an indexed text
field when no query matches that field by prefix."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

INDEXES = """
SELECT c.relname AS tbl, x.relname AS idx, i.indkey::text AS cols, i.indclass::text AS classes,
       i.indisunique AS uniq, i.indpred IS NOT NULL OR i.indexprs IS NOT NULL AS special, am.amname AS method,
       pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i
JOIN pg_class x ON x.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_am am ON am.oid = x.relam
WHERE c.relnamespace = 'public'::regnamespace
"""


def _indexes() -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(INDEXES)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_no_table_has_the_same_index_twice():
    seen: dict[tuple, str] = {}
    twice = []
    for index in _indexes():
        if index["special"]:
            continue
        key = (index["tbl"], index["cols"], index["classes"], index["method"])
        if key in seen and not index["uniq"]:
            twice.append((seen[key], index["idx"]))
        seen.setdefault(key, index["idx"])
    assert twice == []


# The tables with a row or more per SME (Django's many-to-many tables keep their own indexes).
PER_SME = [
    "suppliers_supplier",
    "suppliers_company",
    "suppliers_contact",
    "suppliers_certification",
    "suppliers_annualfigure",
    "suppliers_privacyconsent",
    "assessments_diagnostic",
    "assessments_answer",
    "assessments_dimensionscore",
    "assessments_areaalignment",
    "cohorts_candidate",
    "core_auditevent",
    "core_outboundmessage",
    "outcomes_outcomeresponse",
    "sourcing_match",
]


@pytest.mark.parametrize("table", PER_SME)
def test_a_table_that_grows_with_the_smes_has_no_redundant_index(table):
    indexes = [i for i in _indexes() if i["tbl"] == table and i["method"] == "btree"]
    assert indexes, table
    redundant = [
        (index["idx"], longer["idx"])
        for index in indexes
        for longer in indexes
        if index is not longer
        and not index["uniq"]
        and not index["special"]
        and not longer["special"]
        and (longer["cols"] + " ").startswith(index["cols"] + " ")
        and (longer["classes"] + " ").startswith(index["classes"] + " ")
    ]
    assert redundant == []
    assert [i["idx"] for i in indexes if "pattern_ops" in i["definition"]] == []


def test_the_smes_lists_keep_their_indexes():
    names = {i["idx"] for i in _indexes() if i["tbl"] == "suppliers_supplier"}
    assert {"supplier_status_employees", "supplier_rfc", "supplier_size", "supplier_employee_range"} <= names
