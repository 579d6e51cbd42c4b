"""Mutants of a region: only its lines, each proven to compile, labelled once."""

from workshop.authoring.mutation.generate import Mutants, mutants_in
from workshop.authoring.notebooks import FileCell

EXERCISE = "99.1"


def mutants_of(body: str, path: str = "app/x.py") -> Mutants:
    return mutants_in(FileCell(path, body), EXERCISE)


def labels(body: str) -> list[str]:
    return [m.label for m in mutants_of(body).mutants]


def written(body: str) -> dict[str, str]:
    """Each mutant's label, and the file the fold writes with it as the answer."""
    cell = FileCell("app/x.py", body)
    return {
        m.label: cell.text(answers={EXERCISE: m.region})
        for m in mutants_of(body).mutants
    }


INSIDE_A_FUNCTION = """def size(a, b):
    before = a + 1
    ### BEGIN SOLUTION 99.1
    if a < b and b != 3:
        return "small"
    ### STUB
    # pass
    ### END SOLUTION
    after = b * 2
    return after
"""


def test_only_the_lines_of_the_region_change() -> None:
    found = mutants_of(INSIDE_A_FUNCTION)
    assert found.mutants and not found.dropped
    for mutant in found.mutants:
        changed = {int(line.split()[0]) for line in mutant.diff}
        assert changed <= {3, 4}, mutant.label
    assert "boundary: a < b → a <= b" in labels(INSIDE_A_FUNCTION)
    assert "comparison: a < b → a >= b" in labels(INSIDE_A_FUNCTION)
    assert "condition removed: b != 3 → (removed)" in labels(INSIDE_A_FUNCTION)
    assert "constant: 3 → 4" in labels(INSIDE_A_FUNCTION)
    assert not [label for label in labels(INSIDE_A_FUNCTION) if "1 →" in label]


PARAMETERS = """from typing import Annotated

from fastapi import Query


def page(
    ### BEGIN SOLUTION 99.1
    limit: Annotated[int, Query(ge=1, le=50, description="Per page.")] = 20,
    ### STUB
    # limit: int = 20,
    ### END SOLUTION
) -> int:
    return limit
"""


def test_a_region_of_parameters_is_mutated_in_place() -> None:
    found = labels(PARAMETERS)
    for expected in (
        "keyword removed: le=50 → (removed)",
        "boundary: ge=1 → gt=1",
        "boundary: le=50 → lt=50",
        "constant: le=50 → le=51",
        "constant: ge=1 → ge=0",
        "constant: 20 → 21",
    ):
        assert expected in found
    files = written(PARAMETERS)
    assert "Query(ge=1, description=" in files["keyword removed: le=50 → (removed)"]
    for text in files.values():
        compile(text, "app/x.py", "exec")


KEYWORD_ARGUMENTS = """app = dict(
    ### BEGIN SOLUTION 99.1
    title=settings.name,
    ### STUB
    # title="FastAPI",
    ### END SOLUTION
    version=settings.version,
)
"""


def test_a_region_of_keyword_arguments_loses_its_line() -> None:
    files = written(KEYWORD_ARGUMENTS)
    assert list(files) == ["keyword removed: title=settings.name → (removed)"]
    text = files["keyword removed: title=settings.name → (removed)"]
    assert "title" not in text
    assert "    version=settings.version,\n)" in text


TIMING = """import asyncio


async def fetch(client):
    ### BEGIN SOLUTION 99.1
    await asyncio.sleep(0.5)
    response = await client.get("/", timeout=5)
    while response.retry:
        response = await client.get("/")
    name = response.name.lower()
    ### STUB
    # pass
    ### END SOLUTION
    return name
"""


def test_nothing_that_could_only_change_timing_is_mutated() -> None:
    found = mutants_of(TIMING)
    assert found.excluded >= 8
    assert sorted(m.label for m in found.mutants) == [
        "call dropped: response.name.lower() → response.name",
        "constant: \"/\" → ''",  # a sibling of timeout=, not under it
        "statement deleted: name = response.name.lower() → pass",
    ]


NONLOCAL = """def counter():
    ### BEGIN SOLUTION 99.1
    count = 0
    ### STUB
    # pass
    ### END SOLUTION

    def more():
        nonlocal count
        count += 1

    return more
"""


def test_a_mutant_that_does_not_compile_is_dropped_and_counted() -> None:
    found = mutants_of(NONLOCAL)
    assert dict(found.dropped) == {"does not compile": 1}
    assert [m.label for m in found.mutants] == ["constant: 0 → 1", "constant: 0 → -1"]


def test_the_same_mutant_twice_is_kept_once() -> None:
    body = "def f(ready):\n    ### BEGIN SOLUTION 99.1\n    return ready and ready\n    ### END SOLUTION\n"
    found = mutants_of(body)
    assert found.dropped["the same as another mutant"] == 1
    assert "condition removed: ready → (removed)" in [m.label for m in found.mutants]


def test_docstrings_stay_and_an_f_string_is_emptied_whole() -> None:
    body = '''def greet(name):
    ### BEGIN SOLUTION 99.1
    """Say hello."""
    return f"Hello {name}!"
    ### END SOLUTION
'''
    assert labels(body) == [
        'statement deleted: return f"Hello {name}!" → pass',
        "constant: f\"Hello {name}!\" → ''",
    ]


def test_edits_land_on_characters_not_bytes() -> None:
    body = 'def f():\n    ### BEGIN SOLUTION 99.1\n    return {"café": "é", "n": 1}\n    ### END SOLUTION\n'
    regions = {m.label: m.region for m in mutants_of(body).mutants}
    assert regions["constant: 1 → 2"] == '    return {"café": "é", "n": 2}'


def test_every_label_is_unique() -> None:
    body = "def f():\n    ### BEGIN SOLUTION 99.1\n    a = 3\n    b = 3\n    ### END SOLUTION\n    return a, b\n"
    assert labels(body) == [
        "statement deleted: a = 3 → pass",
        "constant: 3 → 4",
        "constant: 3 → 2",
        "statement deleted: b = 3 → pass",
        "constant: 3 → 4 (2)",
        "constant: 3 → 2 (2)",
    ]


def test_only_the_named_region_is_mutated() -> None:
    body = "### BEGIN SOLUTION 99.2\nA = 1\n### END SOLUTION\n### BEGIN SOLUTION 99.1\nB = 2\n### END SOLUTION\n"
    assert labels(body) == [
        "statement deleted: B = 2 → pass",
        "constant: 2 → 3",
        "constant: 2 → 1",
    ]


def test_a_region_that_is_not_python_has_no_mutants() -> None:
    body = "FROM python:3.12\n### BEGIN SOLUTION 99.1\nUSER app\n### END SOLUTION\n"
    found = mutants_of(body, "Dockerfile")
    assert found.mutants == [] and found.proposed == 0
