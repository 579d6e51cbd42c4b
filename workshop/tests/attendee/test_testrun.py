"""run_tests lists each failed test with its reason, then pytest's count."""

from pathlib import Path

import pytest

from workshop.attendee.testrun import WIDTH, run_tests, summary


def project(tmp_path: Path, **tests: str) -> Path:
    (tmp_path / "tests").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        "[tool.pytest.ini_options]\n"
        'asyncio_default_fixture_loop_scope = "function"\n'
        'addopts = "-p no:cacheprovider"\n'
    )
    for name, source in tests.items():
        (tmp_path / "tests" / f"{name}.py").write_text(source)
    return tmp_path


def test_failures_are_listed_one_per_line_with_the_count_last(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        test_a=(
            "import pytest\n"
            "def test_ok():\n    assert True\n"
            "def test_bad():\n    assert 1 == 2, 'one is not two'\n"
            "def test_later():\n    pytest.skip('exercise 01.1 is not done yet')\n"
        ),
    )
    lines = run_tests(root).splitlines()
    assert lines[0] == (
        "FAILED tests/test_a.py::test_bad - AssertionError: one is not two"
    )
    assert lines[1].startswith("1 failed, 1 passed, 1 skipped in ")
    assert len(lines) == 2


def test_a_file_that_cannot_be_collected_says_why(tmp_path: Path) -> None:
    root = project(tmp_path, test_a="def test_ok():\n    pass\n", test_b="def f(:\n")
    lines = run_tests(root, "tests/test_b.py").splitlines()
    assert lines[0] == "ERROR tests/test_b.py - SyntaxError: invalid syntax"
    assert lines[-1].startswith("1 error in ")


def test_all_passing_is_one_line(tmp_path: Path) -> None:
    root = project(tmp_path, test_a="def test_ok():\n    pass\n")
    assert run_tests(root, "tests/test_a.py").startswith("1 passed in ")
    assert summary("") == ["pytest printed nothing"]


def test_an_exception_group_is_named_by_its_first_failure(tmp_path: Path) -> None:
    """Hypothesis and schemathesis fail with exception groups, whose crash line
    pytest gives as "+ Exception Group Traceback": a cell would look as if it
    had raised, and say nothing useful."""
    group = "ExceptionGroup('two', [ValueError('price 590 was taken'), KeyError(1)])"
    root = project(
        tmp_path,
        test_a=(
            f"def test_group():\n    raise {group}\n"
            f"class TestItems:\n    def test_group(self):\n        raise {group}\n"
        ),
    )
    lines = run_tests(root).splitlines()
    assert lines[:2] == [
        "FAILED tests/test_a.py::test_group - ValueError: price 590 was taken",
        "FAILED tests/test_a.py::TestItems::test_group - ValueError: price 590 was taken",
    ]

    # As schemathesis fails: pytest's own reason is the group's traceback header.
    output = """\
__ test_promises[POST /api/v1/items][sqlite] __
+ Exception Group Traceback (most recent call last):
  |   File "tests/test_api_properties.py", line 55, in test_promises
  | schemathesis.core.failures.FailureGroup: Schemathesis found 1 distinct failure
  +-+---------------- 1 ----------------
    | schemathesis.core.failures.AcceptedNegativeData: Schema-violating request accepted
    +------------------------------------
=========================== short test summary info ============================
FAILED tests/test_api_properties.py::test_promises[POST /api/v1/items][sqlite] - + E...
1 failed in 5.33s"""
    assert summary(output) == [
        "FAILED tests/test_api_properties.py::test_promises[POST /api/v1/items][sqlite]"
        " - AcceptedNegativeData: Schema-violating request accepted",
        "1 failed in 5.33s",
    ]


def test_a_long_reason_is_cut_alike_on_a_ci_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pytest leaves summary lines whole where CI is set: a notebook's stored
    output would differ between a laptop and a CI server."""
    root = project(tmp_path, test_a=f"def test_long():\n    assert 0, '{'x' * 300}'\n")
    monkeypatch.delenv("CI", raising=False)
    on_a_laptop = run_tests(root).splitlines()[0]
    monkeypatch.setenv("CI", "true")
    assert run_tests(root).splitlines()[0] == on_a_laptop
    assert len(on_a_laptop) <= int(WIDTH)
