"""Every lesson meets the workshop's standard, checked on the solution notebooks."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from workshop import checking, child
from workshop.authoring import notebooks, timing
from workshop.authoring.fold import managed_files
from workshop.authoring.sandbox import make_sandbox
from workshop.project import lesson_number, solution_notebooks

ROOT = Path(__file__).resolve().parents[3]
LESSONS = [p for p in solution_notebooks(ROOT) if lesson_number(p) >= 1]
SETUP = (
    "%load_ext workshop\n"
    "from workshop import check, checkpoint, fresh_client, run_tests, show, start"
)


def markdown(path: Path) -> str:
    cells = notebooks.read(path).cells
    return "\n".join(c.source for c in cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", solution_notebooks(ROOT), ids=lambda p: p.stem)
def test_every_notebook_starts_with_time_goals_and_setup(path: Path) -> None:
    cells = notebooks.read(path).cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ")
    assert "**Time:**" in cells[0].source
    setup = next(c for c in cells if c.cell_type == "code")
    assert setup.source.startswith(SETUP)
    if lesson_number(path) >= 1:
        assert f'# checkpoint("{lesson_number(path):02d}")' in setup.source
        last = setup.source.strip().splitlines()[-1]
        assert last.startswith(f'start("{lesson_number(path):02d}")'), last


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_a_lessons_time_is_the_same_in_its_notebook_the_map_and_the_guide(
    path: Path,
) -> None:
    """The first cell's time, 00's map and INSTRUCTORS.md's plan agree."""
    stated = re.search(
        r"\*\*Time:\*\* about (\d+) minutes", notebooks.read(path).cells[0].source
    )
    assert stated, "say **Time:** about N minutes in the first cell"
    minutes = stated.group(1)
    number = f"{lesson_number(path):02d}"
    welcome = markdown(solution_notebooks(ROOT)[0])
    assert re.search(rf"^\| {number} [^|]*\|[^|]*\| {minutes} min \|$", welcome, re.M)
    guide = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    # a lesson split over two days adds up to its time
    parts = re.findall(rf"`{path.stem}`[^|]*\| about (\d+) min \|$", guide, re.M)
    assert parts and sum(map(int, parts)) == int(minutes), parts


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_a_lessons_stated_time_is_the_time_models(path: Path) -> None:
    """The model is calibrated on measured rooms (workshop.authoring.timing):
    a lesson that grows states a longer time."""
    stated = re.search(
        r"\*\*Time:\*\* about (\d+) minutes", notebooks.read(path).cells[0].source
    )
    assert stated and int(stated.group(1)) == timing.estimate(path)


def test_notebook_00_moves_a_fresh_clone_to_the_start_of_lesson_01() -> None:
    welcome = notebooks.read(solution_notebooks(ROOT)[0])
    code = [c.source.strip() for c in welcome.cells if c.cell_type == "code"]
    assert 'checkpoint("01")' in code
    text = markdown(solution_notebooks(ROOT)[0])
    assert ".workshop/backups/" in text and "`workshop build`" in text


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_test_cells_use_run_tests(path: Path) -> None:
    """A cell that runs the service's tests lists the failures: run_tests does."""
    for cell in notebooks.read(path).cells:
        if cell.cell_type == "code" and '"pytest"' in cell.source:
            assert "--collect-only" in cell.source, cell.id


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_has_a_diagram_a_recap_and_review_questions(path: Path) -> None:
    text = markdown(path)
    assert "```mermaid" in text
    assert "## Recap" in text
    assert re.search(r"## Review questions\n+1\. ", text)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_has_two_to_four_checked_exercises(path: Path) -> None:
    ids = checking.exercises_of(lesson_number(path))
    assert 2 <= len(ids) <= 4, ids
    code = [c.source for c in notebooks.read(path).cells if c.cell_type == "code"]
    for exercise_id in ids:
        assert f'check("{exercise_id}")' in code, exercise_id
        assert f"### Exercise {exercise_id}" in markdown(path)


# What PostgreSQL sees: where a lesson changes none of it, its checkpoint runs
# the service's tests on SQLite only (workshop.authoring.sqlite_half).
SCHEMA_AND_SQL = ("alembic/versions/", "app/models/", "app/repositories/")
SCHEMA_AND_SQL_FILES = ("app/database.py",)
# How migrations run (which settings give the URL, logging): the migrations'
# tests run it on PostgreSQL, the other tests take the schema it builds.
MIGRATION_RUNNER_FILES = ("alembic/env.py", "alembic.ini", "alembic/script.py.mako")


def changes(lesson: int, prefixes: tuple[str, ...], files: tuple[str, ...]) -> bool:
    """Does `lesson` write one of these files differently from the lessons
    before it (or delete one)?"""
    now = managed_files(ROOT, through=lesson).texts()
    before = managed_files(ROOT, through=lesson - 1).texts()
    return any(
        now.get(path) != before.get(path)
        for path in now.keys() | before.keys()
        if path.startswith(prefixes) or path in files
    )


def postgresql_half(lesson: int) -> list[str]:
    """pytest's arguments for the checkpoint of `lesson`: every test on both
    databases where the lesson changes the schema or the SQL, the migrations'
    tests where it changes how they run, and SQLite only otherwise."""
    if lesson <= 5 or changes(lesson, SCHEMA_AND_SQL, SCHEMA_AND_SQL_FILES):
        return []
    sqlite_only = ["-p", "workshop.authoring.sqlite_half"]
    if changes(lesson, (), MIGRATION_RUNNER_FILES):
        return [*sqlite_only, "--postgresql-in", "tests/test_migrations.py"]
    return sqlite_only


def test_what_each_checkpoint_runs_on_postgresql() -> None:
    """05 builds the schema and the SQL; 08 and 09 change only where
    alembic/env.py reads its settings from; 06 and 07 change none of it."""
    runs = {n: postgresql_half(n)[2:] for n in range(5, 10)}
    assert runs == {
        5: [],
        6: [],
        7: [],
        8: ["--postgresql-in", "tests/test_migrations.py"],
        9: ["--postgresql-in", "tests/test_migrations.py"],
    }


def test_the_sqlite_half_keeps_postgresql_only_where_asked() -> None:
    """The plugin on the repository's own tests: of the PostgreSQL half, only
    the named file's tests are collected."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            *postgresql_half(9),
            "tests",
        ],
        cwd=ROOT,
        env=child.environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    on = re.compile(r"[-[]postgresql[]-]")
    kept = [line for line in result.stdout.splitlines() if on.search(line)]
    assert kept and all(line.startswith("tests/test_migrations.py::") for line in kept)
    assert "[sqlite]" in result.stdout and " deselected" in result.stdout


# The last lesson's files are the repository's own (`workshop verify`), and this
# suite runs their tests/ already: a sandbox of them would only run it twice.
@pytest.mark.parametrize("path", LESSONS[:-1], ids=lambda p: p.stem)
def test_once_a_lesson_is_done_the_tests_so_far_pass(
    path: Path, tmp_path: Path
) -> None:
    """Run All of the lesson's solution, then `pytest tests`: green, every lesson
    (on SQLite only where the lesson leaves the schema and the SQL as they were)."""
    lesson = lesson_number(path)
    files = managed_files(ROOT, through=lesson).texts()
    assert any(name.startswith("tests/") for name in files), "no tests yet"
    box = make_sandbox(ROOT, tmp_path / "workshop", files=files)
    half = postgresql_half(lesson)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--color=no", *half, "tests"],
        cwd=box,
        env=child.environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout.splitlines()[-1]
    assert (" deselected" in result.stdout.splitlines()[-1]) == bool(half)


def _minutes(text: str) -> int:
    """'6 h 05' → 365, '5 h' → 300."""
    hours, _, minutes = text.partition(" h")
    return int(hours) * 60 + int(minutes.strip() or 0)


def test_the_guide_says_what_each_day_of_its_plan_holds() -> None:
    """The sentence under the plan adds up the plan's rows, day by day: lessons
    alone, then with the breaks and lunch."""
    guide = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    plan = guide.split("## The days", 1)[1].split("\n\n| When |", 1)[1]
    lessons: list[int] = []
    everything: list[int] = []
    for row in plan.split("\n\n", 1)[0].splitlines()[2:]:
        when, what, time = (cell.strip() for cell in row.strip("|").split("|"))
        if when:
            lessons.append(0)
            everything.append(0)
        minutes = int(re.search(r"(\d+) min", time).group(1))  # type: ignore[union-attr]
        everything[-1] += minutes
        if "`" in what:  # a lesson; breaks and lunch are plain words
            lessons[-1] += minutes
    said = re.search(
        r"The three days hold about (.+?), (.+?) and (.+?) of lessons\s+\((.+?), "
        r"(.+?) and\s+(.+?) with the breaks\)",
        guide,
    )
    assert said, "say what the three days hold under the plan"
    stated = [_minutes(" ".join(part.split())) for part in said.groups()]
    assert stated == lessons + everything, (lessons, everything)


def _plan_rows() -> list[tuple[str, int]]:
    """(what, minutes) of each row of INSTRUCTORS.md's plan."""
    guide = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    plan = guide.split("## The days", 1)[1].split("\n\n| When |", 1)[1]
    rows = []
    for row in plan.split("\n\n", 1)[0].splitlines()[2:]:
        _, what, time = (cell.strip() for cell in row.strip("|").split("|"))
        rows.append((what, int(re.search(r"(\d+) min", time).group(1))))  # type: ignore[union-attr]
    return rows


def test_no_part_of_a_lesson_in_the_plan_runs_over_100_minutes() -> None:
    long = [(what[:40], minutes) for what, minutes in _plan_rows() if minutes > 100]
    assert not long


def test_a_lesson_over_100_minutes_is_split_at_a_section_by_the_model() -> None:
    """Exactly the lessons the model puts over 100 minutes are split. The first
    part ends at the section it names, the second starts at the next one, and
    the first holds the model's minutes for its sections (half the settling
    time included, rounded to 5); the second holds the rest."""
    rows = _plan_rows()
    long = [p for p in LESSONS if timing.estimate(p) > 100]
    split = [
        p for p in LESSONS if sum(w.startswith(f"`{p.stem}`") for w, _ in rows) > 1
    ]
    assert split == long
    for path in split:
        (first, before), (second, after) = [
            (what, minutes)
            for what, minutes in rows
            if what.startswith(f"`{path.stem}`")
        ]
        to = re.match(rf'`{path.stem}`, to "(.+?)":', first)
        since = re.match(rf'`{path.stem}`, from "(.+?)":', second)
        assert to and since, f"{path.stem}: name where each part ends and starts"
        sections = timing.sections(path)
        titles = [s.title for s in sections]
        end = titles.index(to.group(1))
        assert titles[end + 1] == since.group(1)
        clock = sum(s.minutes for s in sections[: end + 1])
        assert before == 5 * round((clock + timing.SETTLING / 2) / 5), path.stem
        assert before + after == timing.estimate(path), path.stem
