"""``core.collector.collector_paused``: the cyclic garbage collector off inside the block, as it was after."""

import gc

import pytest

from core.collector import collector_paused


@pytest.fixture(autouse=True)
def _collector_on():
    gc.enable()
    yield
    gc.enable()


def test_paused_inside_and_back_on_after_even_when_the_block_fails():
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: still off when the inner block ends
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_left_off_when_it_was_off_and_usable_as_a_decorator():
    @collector_paused()
    def state() -> bool:
        return gc.isenabled()

    assert state() is False and gc.isenabled()
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
