import pytest

from tests.reports.builders import build_report_data


@pytest.fixture
def report_data(db):
    return build_report_data()
