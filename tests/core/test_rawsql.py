"""``core.rawsql.planner_settings``: PostgreSQL settings local to a block, put back afterwards."""

import pytest
from django.db import connection, transaction

from core.rawsql import planner_settings

pytestmark = pytest.mark.django_db


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


@pytest.mark.sql
def test_settings_hold_inside_the_block_and_are_put_back_after_it():
    before = _setting("work_mem")
    with transaction.atomic():
        with planner_settings(work_mem="48MB", enable_mergejoin="off"):
            assert _setting("work_mem") == "48MB" and _setting("enable_mergejoin") == "off"
        assert _setting("work_mem") == before and _setting("enable_mergejoin") == "on"  # the caller's transaction
    assert _setting("work_mem") == before


@pytest.mark.sql
def test_an_error_in_the_block_rolls_back_and_leaves_no_setting():
    from django.db import DatabaseError

    before = _setting("work_mem")
    with pytest.raises(ZeroDivisionError), planner_settings(work_mem="40MB"):
        _ = 1 / 0
    assert _setting("work_mem") == before
    with pytest.raises(DatabaseError), planner_settings(work_mem="41MB"):  # the original error surfaces
        _setting("no_such_setting")
    assert _setting("work_mem") == before


def test_the_block_runs_in_a_transaction():
    with planner_settings(work_mem="64MB"):
        assert connection.in_atomic_block
