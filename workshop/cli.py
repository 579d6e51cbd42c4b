"""The `workshop` command: parses arguments and hands over to one module each."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from workshop import timeouts
from workshop.project import WorkshopError, find_root


def _build(args: argparse.Namespace, root: Path) -> int:
    from workshop.authoring.build import build_files, build_notebooks
    from workshop.disk import report

    changed = build_notebooks(root)
    print(
        f"Built notebooks/: {len(changed)} changed."
        if changed
        else "notebooks/ is already up to date."
    )
    for path in changed:
        print(f"  {path.relative_to(root)}")
    restored = build_files(root)
    if restored.written or restored.removed:
        print(report(restored, root))
    return 0


def _verify(args: argparse.Namespace, root: Path) -> int:
    from workshop.authoring.verify import verify

    problems = verify(root)
    for problem in problems:
        print(f"✗ {problem}")
    print(
        f"{len(problems)} problem(s) found."
        if problems
        else "✓ notebooks/ and every managed file match solutions/."
    )
    return 1 if problems else 0


def _checkpoint(args: argparse.Namespace, root: Path) -> int:
    from workshop.attendee.catchup import catch_up
    from workshop.authoring.fold import parse_lesson
    from workshop.disk import report

    print(report(catch_up(root, parse_lesson(args.lesson)), root))
    return 0


def _reset(args: argparse.Namespace, root: Path) -> int:
    from workshop.attendee.resetsolve import reset

    print(reset(root, args.exercise))
    return 0


def _solve(args: argparse.Namespace, root: Path) -> int:
    from workshop.attendee.resetsolve import solve

    print(solve(root, args.exercise))
    return 0


def _check(args: argparse.Namespace, root: Path) -> int:
    from workshop.attendee.feedback import check_in_child
    from workshop.attendee.report import TERMINAL, answer_in, report
    from workshop.checking import exercises_of

    ids = [args.exercise]
    if args.exercise.isdigit():  # a whole lesson: "01"
        ids = exercises_of(int(args.exercise)) or ids
    results = [check_in_child(root, exercise_id) for exercise_id in ids]
    texts = [
        report(r, hint=args.hint, ask=TERMINAL, answer=answer_in(root, r.exercise))
        for r in results
    ]
    print("\n\n".join(texts), flush=True)
    _tell_the_room(root, results)
    return 0 if all(result.passed for result in results) else 1


def _tell_the_room(root: Path, results: list) -> None:
    """If this checkout joined a room, its board hears of the results, from a
    process of its own: this command does not wait for the board."""
    from workshop.attendee.room import send_detached

    with contextlib.suppress(Exception):
        send_detached(root, results)


def _join(args: argparse.Namespace, root: Path) -> int:
    from workshop.attendee.room import join, membership

    print(join(root, args.url, args.code, args.name))
    return 0 if membership(root) is not None else 1


def _leave(args: argparse.Namespace, root: Path) -> int:
    from workshop.attendee.room import leave

    print(leave(root))
    return 0


def _board(args: argparse.Namespace, root: Path) -> int:
    from pydantic import ValidationError

    from workshop.room.serve import serve
    from workshop.room.settings import BoardSettings

    chosen = {k: v for k, v in vars(args).items() if k in BoardSettings.model_fields}
    chosen = {k: v for k, v in chosen.items() if v is not None}
    if args.stuck_after is not None:
        chosen["stuck_after_seconds"] = args.stuck_after * 60
    try:
        settings = BoardSettings(**chosen)
    except ValidationError as error:
        raise WorkshopError(str(error)) from None
    if not settings.database.is_absolute():
        settings.database = root / settings.database
    serve(settings, course=_course_of(args, root))
    return 0


def _doctor(args: argparse.Namespace, root: Path) -> int:
    from workshop.attendee.doctor import report
    from workshop.grading.isolation import describe

    healthy, text = report(root)
    print(text)
    print(describe(root))  # for instructors; it never makes the doctor fail
    return 0 if healthy else 1


def _submit(args: argparse.Namespace, root: Path) -> int:
    from workshop.handin import submit

    handed = submit(args.name, root, args.dest)
    print(handed.report())
    return 0


def _notes(args: argparse.Namespace, root: Path) -> int:
    from workshop.authoring.fold import parse_lesson
    from workshop.authoring.notes import lesson_notes
    from workshop.project import lesson_number, solution_notebooks

    wanted = {parse_lesson(lesson) for lesson in args.lessons}
    for path in solution_notebooks(root):
        number = lesson_number(path)
        if number and (not wanted or number in wanted):
            print(lesson_notes(path), end="\n\n")
    return 0


def _lessons(root: Path) -> list[int]:
    from workshop.course import available

    return available(root)


def _course_of(args: argparse.Namespace, root: Path) -> frozenset[int] | None:
    """--course when given, else the course `workshop course` kept."""
    from workshop import course

    if args.course is not None:
        return course.parse(args.course, _lessons(root))
    return course.load(root)


def _course(args: argparse.Namespace, root: Path) -> int:
    from workshop import course

    if args.lessons is not None:
        course.save(root, course.parse(args.lessons, _lessons(root)))
    kept = course.load(root)
    print(
        f"The course: lessons {course.label(kept)}. Grading and the board count "
        "these lessons only, and notebook 00's show_course() lists them; "
        "`workshop course all` counts every lesson."
        if kept is not None
        else "The course: every lesson. `workshop course 01-06` counts only those."
    )
    return 0


def _save(args: argparse.Namespace, root: Path) -> int:
    from workshop.attendee.keep import save_progress

    print(save_progress(root, args.dest).report())
    return 0


def _restore(args: argparse.Namespace, root: Path) -> int:
    from workshop.attendee.restore import restore

    print(restore(args.archive, root).report())
    return 0


def _hub_link(args: argparse.Namespace, root: Path) -> int:
    from workshop.hub import hub_link

    print(hub_link(args.hub, root, repo=args.repo, branch=args.branch))
    return 0


def _execute(args: argparse.Namespace, root: Path) -> int:
    from workshop.authoring.execute import execute
    from workshop.authoring.fold import parse_lesson

    for lesson in args.lessons:
        path = execute(root, parse_lesson(lesson))
        print(f"Executed {path.relative_to(root)}")
    return 0


def _grade(args: argparse.Namespace, root: Path) -> int:
    from workshop.grading.command import Request, run
    from workshop.grading.diffs import Filters
    from workshop.grading.grade import Options

    options = Options(
        args.jobs,
        args.timeout,
        args.whole_files,
        args.isolation,
        course=_course_of(args, root),
        fresh=args.fresh,
    )
    filters = Filters(args.failed, tuple(args.attendee), tuple(args.exercise))
    request = Request(
        args.submissions,
        options,
        args.diff or bool(args.failed or args.attendee or args.exercise),
        filters,
        args.csv,
        args.json,
        args.gradebook,
        args.feedback,
    )
    return run(root, request)


def _mutants(args: argparse.Namespace, root: Path) -> int:
    import time

    from workshop.authoring.mutation import allowed
    from workshop.authoring.mutation.cache import FOLDER
    from workshop.authoring.mutation.measure import Options, measure
    from workshop.authoring.mutation.table import report

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            end = "\n" if done == total else ""
            print(f"\r{done} of {total} checked", end=end, file=sys.stderr, flush=True)

    started = time.monotonic()
    options = Options(
        jobs=args.jobs, size=args.sample, read_cache=not args.fresh, mode=args.isolation
    )
    measured = measure(root, args.exercises, options, progress)
    print(report(measured, explained=args.explained))
    problems = allowed.problems(
        {e.exercise: e.labels for e in measured},
        {e.exercise: e.reasons for e in measured if e.reasons},
    )
    for problem in problems:
        print(f"✗ allow-list: {problem}")
    mutants = sum(len(e.group.mutants) for e in measured)
    cached = sum(e.cached for e in measured)
    print(
        f"\n{mutants} mutants of {len(measured)} exercise(s) in "
        f"{time.monotonic() - started:.0f} s with {args.jobs} job(s); "
        f"{cached} outcomes from {FOLDER}/."
    )
    return 0 if all(e.sound for e in measured) and not problems else 1


def _add_isolation(command: argparse.ArgumentParser) -> None:
    """Both commands run attendees' code in the same sandbox."""
    command.add_argument(
        "--isolation",
        choices=("auto", "bwrap", "fence"),
        default="auto",
        help="bubblewrap if it works here (auto), bubblewrap or fail, or the "
        "audit hook only",
    )


def _add_course(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--course",
        metavar="LESSONS",
        help="the lessons taught (01-06, or all); default: the one `workshop course` "
        "kept, else every lesson",
    )


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="workshop", description="Tools for the FastAPI in Production workshop."
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "build", help="regenerate notebooks/ and the managed files from solutions/"
    ).set_defaults(handler=_build)
    commands.add_parser(
        "verify", help="fail if notebooks/ or a managed file drifted from solutions/"
    ).set_defaults(handler=_verify)
    catch_up = commands.add_parser(
        "checkpoint",
        help="restore the files for the start of notebook NN (yours are backed up first)",
    )
    catch_up.add_argument("lesson", metavar="NN")
    catch_up.set_defaults(handler=_checkpoint)
    for name, handler, what in (
        ("reset", _reset, "put one exercise (02.2) back to its stub"),
        ("solve", _solve, "fill one exercise (02.2) with its solution, marked"),
    ):
        one = commands.add_parser(
            name, help=f"{what}, in your notebook and its file (backed up first)"
        )
        one.add_argument("exercise", metavar="EXERCISE")
        one.set_defaults(handler=handler)
    check = commands.add_parser(
        "check", help="check an exercise (01.1) or every exercise of a lesson (01)"
    )
    check.add_argument("exercise", metavar="EXERCISE")
    check.add_argument(
        "--hint",
        type=int,
        default=1,
        metavar="N",
        help="on a failure, show hint N (1: a nudge, 2: a closer one)",
    )
    check.set_defaults(handler=_check)
    commands.add_parser(
        "doctor", help="check that this machine is ready for the workshop"
    ).set_defaults(handler=_doctor)
    join = commands.add_parser(
        "join",
        help="join the room's board: each check then also sends it its result",
    )
    join.add_argument("url", metavar="URL", help="the board's address")
    join.add_argument("code", metavar="CODE", help="the room's code")
    join.add_argument("name", metavar="NAME", help="your name on the board")
    join.set_defaults(handler=_join)
    commands.add_parser(
        "leave", help="leave the room's board: checks stop sending results"
    ).set_defaults(handler=_leave)
    board = commands.add_parser(
        "board",
        help="serve the room's live board of checks (instructors)",
        description="Serve the room's board: attendees who join send each check's "
        "result, and the page shows who passed what, and who is stuck. Flags "
        "override WORKSHOP_BOARD_* variables.",
    )
    board.add_argument(
        "--host",
        help="where to listen: 127.0.0.1 (default) is this machine only, "
        "0.0.0.0 every network it is on",
    )
    board.add_argument("--port", type=int, help="default 8765")
    board.add_argument(
        "--code", help="the room's code (default: the one kept, else a new one)"
    )
    board.add_argument(
        "--database",
        type=Path,
        metavar="FILE",
        help="where the room is kept (default .workshop/board.sqlite3)",
    )
    board.add_argument(
        "--public-url",
        metavar="URL",
        help="the address attendees use, if not this machine's (a tunnel, a name)",
    )
    board.add_argument(
        "--stuck-after",
        type=float,
        metavar="MINUTES",
        help="failing the same exercise this long is stuck (default 5)",
    )
    _add_course(board)
    board.set_defaults(handler=_board)
    submit = commands.add_parser(
        "submit", help="put your notebooks in NAME.zip, checked, to hand in"
    )
    submit.add_argument("name", metavar="NAME", help="your name: the zip's name")
    submit.add_argument(
        "--dest", type=Path, metavar="FOLDER", help="where to write it (default: here)"
    )
    submit.set_defaults(handler=_submit)
    notes = commands.add_parser(
        "notes",
        help="instructor notes per lesson: objectives, a timed plan, what to "
        "live-code, each exercise's hints and common mistakes, an attendee sheet",
    )
    notes.add_argument("lessons", nargs="*", metavar="NN", help="default: every lesson")
    notes.set_defaults(handler=_notes)
    course = commands.add_parser(
        "course",
        help="the lessons you teach (01-06): grading and the board count only those",
    )
    course.add_argument(
        "lessons",
        nargs="?",
        metavar="LESSONS",
        help="01-06, 01,03,05-07 or all; without it, say which course is kept",
    )
    course.set_defaults(handler=_course)
    save = commands.add_parser(
        "save",
        help="put your progress (notebooks, files, backups) in workshop-progress.zip",
    )
    save.add_argument(
        "--dest", type=Path, metavar="FOLDER", help="where to write it (default: here)"
    )
    save.set_defaults(handler=_save)
    restore = commands.add_parser(
        "restore",
        help="bring back the progress `workshop save` wrote (yours backed up first)",
    )
    restore.add_argument("archive", type=Path, metavar="ZIP")
    restore.set_defaults(handler=_restore)
    hub = commands.add_parser(
        "hub-link",
        help="the nbgitpuller link that opens this workshop on a JupyterHub (instructors)",
    )
    hub.add_argument("hub", metavar="HUB_URL", help="the hub's address")
    hub.add_argument(
        "--repo", metavar="URL", help="the repository (default: the README's badge)"
    )
    hub.add_argument(
        "--branch", metavar="REF", help="branch or tag (default: the badge's)"
    )
    hub.set_defaults(handler=_hub_link)
    execute = commands.add_parser(
        "execute", help="run solution notebooks and store their outputs"
    )
    execute.add_argument("lessons", nargs="+", metavar="NN")
    execute.set_defaults(handler=_execute)
    grade = commands.add_parser(
        "grade",
        help="grade attendees' notebooks, folders or .zip files, each in a sandbox",
    )
    grade.add_argument(
        "submissions",
        nargs="+",
        type=Path,
        metavar="SUBMISSION",
        help="a notebook, a folder or checkout, or a .zip of either; one per attendee",
    )
    grade.add_argument("--jobs", type=int, default=2, help="notebooks graded at once")
    grade.add_argument(
        "--timeout",
        type=float,
        default=timeouts.GRADING_PER_NOTEBOOK,
        help="seconds allowed per notebook",
    )
    grade.add_argument(
        "--whole-files",
        action="store_true",
        help="grade the files as the attendee wrote them, not only the exercises",
    )
    _add_isolation(grade)
    grade.add_argument("--csv", type=Path, metavar="FILE", help="also write a CSV file")
    grade.add_argument(
        "--json", type=Path, metavar="FILE", help="also write a JSON file"
    )
    grade.add_argument(
        "--gradebook",
        type=Path,
        metavar="FILE",
        help="also write points per exercise, as a CSV to import into an LMS",
    )
    grade.add_argument(
        "--feedback",
        type=Path,
        metavar="FOLDER",
        help="also write one Markdown feedback file per attendee",
    )
    grade.add_argument(
        "--diff", action="store_true", help="show attendee code beside the solution"
    )
    grade.add_argument(
        "--failed", action="store_true", help="--diff of what did not pass only"
    )
    grade.add_argument(
        "--attendee",
        action="append",
        default=[],
        metavar="NAME",
        help="--diff of this attendee only (repeat for more)",
    )
    grade.add_argument(
        "--exercise",
        action="append",
        default=[],
        metavar="ID",
        help="--diff of this exercise (01.2) or lesson (01) only (repeat for more)",
    )
    grade.add_argument(
        "--fresh",
        action="store_true",
        help="grade everything again, ignoring the grades kept in .workshop/grades/",
    )
    _add_course(grade)
    grade.set_defaults(handler=_grade)
    mutants = commands.add_parser(
        "mutants",
        help="how well each exercise's check catches small mistakes in its solution",
    )
    mutants.add_argument(
        "exercises",
        nargs="*",
        metavar="EXERCISE",
        help="an exercise (02.2) or a lesson (02); default: every exercise",
    )
    mutants.add_argument("--jobs", type=int, default=2, help="mutants checked at once")
    mutants.add_argument(
        "--fresh", action="store_true", help="check again, ignoring .workshop/mutants/"
    )
    mutants.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="only N mutants of each exercise, the same N on every run",
    )
    mutants.add_argument(
        "--explained",
        action="store_true",
        help="also show the survivors the allow-lists explain, with their reasons",
    )
    _add_isolation(mutants)
    mutants.set_defaults(handler=_mutants)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args, find_root())
    except WorkshopError as error:
        print(f"workshop {args.command}: {error}", file=sys.stderr)
        return 2
