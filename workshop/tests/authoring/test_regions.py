import pytest

from workshop.authoring.regions import region_ids, render
from workshop.project import WorkshopError

CELL = """def health():
    ### BEGIN SOLUTION 01.1
    return {"status": "ok", "version": VERSION}
    ### STUB
    # # TODO: add the version
    # return {"status": "ok"}
    ### END SOLUTION


### BEGIN SOLUTION 01.2
def info():
    return {}
### END SOLUTION"""


def test_the_solution_keeps_its_code_and_loses_the_markers() -> None:
    assert render(CELL, stub=False) == (
        "def health():\n"
        '    return {"status": "ok", "version": VERSION}\n'
        "\n\n"
        "def info():\n"
        "    return {}"
    )


def test_the_stub_replaces_each_region_uncommented_or_with_pass() -> None:
    assert render(CELL, stub=True) == (
        "def health():\n"
        "    # TODO: add the version\n"
        '    return {"status": "ok"}\n'
        "\n\n"
        "pass  # your code here"
    )


def test_one_exercise_can_be_stubbed_alone() -> None:
    text = render(CELL, stub={"01.2"})
    assert '"version": VERSION' in text
    assert "def info" not in text


def test_region_ids_are_listed_in_order() -> None:
    assert region_ids(CELL) == ["01.1", "01.2"]
    assert region_ids("### BEGIN SOLUTION\n### END SOLUTION") == [""]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("### BEGIN SOLUTION\nx = 1", "not closed"),
        ("x = 1\n### END SOLUTION", "without"),
        ("### STUB\n### END SOLUTION", "outside a region"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside"),
    ],
)
def test_broken_regions_are_named(text: str, problem: str) -> None:
    with pytest.raises(WorkshopError, match=problem):
        render(text, stub=True)


def test_an_answer_takes_the_place_of_its_region() -> None:
    text = render(CELL, stub=True, answers={"01.1": "    return {}\n    # mine"})
    assert text.splitlines()[1:3] == ["    return {}", "    # mine"]
    assert text.endswith("pass  # your code here")  # 01.2 is still a stub
