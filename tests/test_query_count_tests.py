"""Every query-count test also checks the status of the response it counted: a count taken on a login
redirect or a 403 says nothing about the page (``tests.conftest.get_ok``)."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
COUNTING = re.compile(r"with .*(assert_num_queries|assert_max_num_queries|CaptureQueriesContext)")
REQUEST = re.compile(r"\b\w*client\.(get|post|put|patch|delete|head)\(")


def unchecked_requests(text: str) -> list[int]:
    """Line numbers of client requests inside a query-counting block whose status is not checked there."""
    lines, found, block = text.split("\n"), [], None
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if block is not None and stripped and indent <= block:
            block = None
        if COUNTING.search(stripped):
            block = indent
        elif block is not None and REQUEST.search(line):
            window = "\n".join(lines[number - 1 : number + 2])
            if "status_code" not in window:
                found.append(number)
    return found


def test_the_checker_finds_an_unchecked_request():
    bad = "def t(client):\n    with django_assert_num_queries(3):\n        client.get('/x/')\n"
    good = "def t(client):\n    with django_assert_num_queries(3):\n        get_ok(client, '/x/')\n"
    checked = (
        "def t(client):\n    with django_assert_num_queries(3):\n        r = client.get('/x/')\n"
        "    assert r.status_code == 200\n"
    )
    assert unchecked_requests(bad) == [3]
    assert unchecked_requests(good) == [] and unchecked_requests(checked) == []


def test_every_query_count_checks_the_response_status():
    problems = [
        f"{path.relative_to(TESTS.parent)}:{number}"
        for path in sorted(TESTS.rglob("test_*.py"))
        if path.name != Path(__file__).name
        for number in unchecked_requests(path.read_text(encoding="utf-8"))
    ]
    assert problems == []
