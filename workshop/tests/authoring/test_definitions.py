"""A `--definitions` cell: what it makes of a file, in the fold and in a kernel."""

from pathlib import Path

import pytest

from workshop.attendee.saving import save_file
from workshop.authoring.definitions import merge
from workshop.authoring.fold import managed_files
from workshop.authoring.notebooks import Node as Cell
from workshop.authoring.notebooks import file_cell_source, file_cells, is_definitions
from workshop.project import WorkshopError
from workshop.tests.conftest import add_lesson

PATH = "app/defs.py"
FILE = '''"""A module."""

from __future__ import annotations

import os


# The limit, from the environment.
LIMIT = int(os.environ.get("LIMIT", "3"))


@staticmethod
def first() -> int:
    return 1


class Box:
    size = 2


async def last() -> None:
    pass
'''


def test_a_definition_replaces_its_namesake_in_place_comments_and_decorators_too() -> (
    None
):
    body = "# Now five.\nLIMIT = 5\n\n\ndef first() -> int:\n    return 10"
    after = merge(FILE, body, PATH)
    assert "# The limit" not in after and "# Now five.\nLIMIT = 5\n" in after
    assert "@staticmethod" not in after and "    return 10\n" in after
    assert after.index("LIMIT = 5") < after.index("def first") < after.index("class")
    assert after.replace("# Now five.\nLIMIT = 5", "").count("LIMIT") == 0


def test_a_class_and_an_async_function_are_replaced_by_name() -> None:
    after = merge(
        FILE,
        "class Box:\n    size = 9\n\n\nasync def last() -> int:\n    return 1",
        PATH,
    )
    assert "size = 9" in after and "size = 2" not in after
    assert after.endswith("async def last() -> int:\n    return 1\n")


def test_a_new_name_is_appended_after_two_blank_lines() -> None:
    after = merge(FILE, "def extra() -> None:\n    pass\n", PATH)
    assert after == FILE + "\n\ndef extra() -> None:\n    pass\n"


def test_imports_replace_the_files_import_block() -> None:
    body = "from __future__ import annotations\n\nimport os\nimport sys\n\nLIMIT = sys.maxsize"
    after = merge(FILE, body, PATH)
    assert after.startswith(
        '"""A module."""\n\nfrom __future__ import annotations\n\nimport os\nimport sys\n\n\n'
    )
    assert "LIMIT = sys.maxsize\n" in after and "environ" not in after


def test_a_new_name_goes_after_the_cells_definition_above_it_gap_and_all() -> None:
    body = "class Box:\n    size = 2\n\n\ndef middle() -> None:\n    pass"
    assert merge(FILE, body, PATH) == FILE.replace(
        "    size = 2\n", "    size = 2\n\n\ndef middle() -> None:\n    pass\n"
    )


def test_a_new_name_opening_the_cell_goes_before_its_next_definition() -> None:
    body = "# Two.\nTWO = 2\nTHREE = 3\n\n\nclass Box:\n    size = 2"
    assert merge(FILE, body, PATH) == FILE.replace(
        "class Box:", "# Two.\nTWO = 2\nTHREE = 3\n\n\nclass Box:"
    )


def test_del_removes_a_definition_and_its_blank_lines_once() -> None:
    after = merge(FILE, "del first, last", PATH)
    assert "first" not in after and "last" not in after
    assert after.endswith("class Box:\n    size = 2\n")
    assert "LIMIT" in after and "\n\n\n\nclass" not in after
    assert merge(after, "del first, last", PATH) == after  # gone already: no change


def test_a_docstring_opening_the_cell_replaces_the_files() -> None:
    after = merge(FILE, '"""Another module."""\n\nimport os', PATH)
    assert after == FILE.replace("A module.", "Another module.").replace(
        "from __future__ import annotations\n\n", ""
    )


def test_running_the_same_cell_twice_changes_nothing_more() -> None:
    body = "import os\nimport sys\n\nLIMIT = 5\n\n\ndef extra() -> None:\n    pass"
    once = merge(FILE, body, PATH)
    assert merge(once, body, PATH) == once


@pytest.mark.parametrize(
    ("before", "body", "problem"),
    [
        (None, "X = 1", "app/defs.py does not exist yet"),
        (FILE, "def broken(:\n", "is not valid Python (invalid syntax, line 1)"),
        (FILE, "X = 1\nX = 2", "names X twice (line 2)"),
        (FILE, "print('hi')", "line 1 is none of them"),
        (FILE, "X = 1\nimport os", "in that order (line 2)"),
        (FILE, "", "holds no definition"),
        (FILE, "X = 1\ndel Y", "in that order (line 2)"),
        (FILE, "X = 1\n'late'", "line 2 is none of them"),
        ("X = 1\n", '"""Doc."""', "no docstring for the cell's to replace"),
        ("X = 1\nX = 2\n", "X = 3", "as it is before this cell defines X twice"),
        ("X = (\n", "X = 3", "as it is before this cell is not valid Python"),
        ("X = 1\n", "import os\n\nY = os.sep", "no imports for the cell's to replace"),
    ],
)
def test_what_cannot_be_written_is_refused_with_a_reason(
    before: str | None, body: str, problem: str
) -> None:
    with pytest.raises(WorkshopError) as error:
        merge(before, body, PATH)
    assert problem in str(error.value)


def test_the_header_flag_is_read_and_written_back() -> None:
    source = file_cell_source(PATH, "X = 1", definitions=True)
    assert source == f"%%save_file {PATH} --definitions\nX = 1"
    assert is_definitions(source) and not is_definitions(file_cell_source(PATH, "X"))
    [cell] = file_cells([Cell(cell_type="code", source=source)])
    assert cell.definitions and cell.body == "X = 1"
    assert not is_definitions(f"%%save_file {PATH} --other\nX = 1")


def test_the_fold_writes_definitions_into_the_file_regions_and_all(
    workshop_copy: Path,
) -> None:
    region = (
        "def first() -> int:\n    ### BEGIN SOLUTION 01.1\n    return 10\n"
        "    ### STUB\n    # return 0\n    ### END SOLUTION"
    )
    add_lesson(
        workshop_copy,
        "90-defs",
        file_cell_source(PATH, FILE),
        file_cell_source(PATH, region, definitions=True),
    )
    files = managed_files(workshop_copy)
    assert files.written[PATH].text == merge(
        FILE, "def first() -> int:\n    return 10", PATH
    )
    assert files.written[PATH].cell == 2
    stubbed = managed_files(workshop_copy, stubbed={"01.1"}).texts()[PATH]
    assert "    return 0\n" in stubbed and "return 10" not in stubbed


def test_the_fold_names_the_cell_that_cannot_be_written(workshop_copy: Path) -> None:
    add_lesson(workshop_copy, "90-defs", file_cell_source(PATH, "X = 1", True))
    with pytest.raises(
        WorkshopError, match=r"90-defs.ipynb cell 1: app/defs.py does not exist"
    ):
        managed_files(workshop_copy)


def test_the_magic_writes_into_the_file_on_disk_keeping_the_rest(
    workshop_copy: Path,
) -> None:
    add_lesson(
        workshop_copy,
        "90-defs",
        file_cell_source(PATH, FILE),
        file_cell_source(PATH, "class Box:\n    size = 3", definitions=True),
    )
    save_file(workshop_copy, PATH, FILE)
    mine = FILE.replace("return 1\n", "return 1  # my note\n")
    (workshop_copy / PATH).write_text(mine)
    message = save_file(workshop_copy, PATH, "class Box:\n    size = 3", True)
    assert (workshop_copy / PATH).read_text() == merge(
        mine, "class Box:\n    size = 3", PATH
    )
    lines = message.splitlines()
    assert lines[0] == f"Saved {PATH} ({FILE.count(chr(10))} lines). What changed:"
    assert (
        "\x1b[31m-    size = 2\x1b[0m" in lines
        and "\x1b[32m+    size = 3\x1b[0m" in lines
    )
    assert not any("my note" in line for line in lines)  # the lessons' diff


def test_the_magic_refuses_what_it_cannot_write_and_leaves_the_file(
    workshop_copy: Path,
) -> None:
    assert save_file(workshop_copy, PATH, "X = 1", True) == (
        f"Not saved: {PATH} does not exist yet: a `--definitions` cell changes a file "
        "that an earlier cell wrote. Run the cells above it, or restore the checkpoint."
    )
    assert not (workshop_copy / PATH).exists()
    (workshop_copy / PATH).write_text(FILE)
    assert "names X twice" in save_file(workshop_copy, PATH, "X = 1\nX = 2", True)
    assert (workshop_copy / PATH).read_text() == FILE


def test_del_keeps_the_wider_blank_run_around_the_definition() -> None:
    before = "A = 1\nB = 2\n\n\ndef f() -> None:\n    pass\n"
    assert merge(before, "del B", PATH) == "A = 1\n\n\ndef f() -> None:\n    pass\n"
    assert merge(before, "del A", PATH) == before.replace("A = 1\n", "")
    assert merge(before, "del f", PATH) == "A = 1\nB = 2\n"
