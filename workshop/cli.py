"""The `workshop` command: parses arguments and hands over to one module each."""

from __future__ import annotations

import argparse
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
    print("\n\n".join(texts))
    return 0 if all(result.passed for result in results) else 1


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

    options = Options(args.jobs, args.timeout, args.whole_files, args.isolation)
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
    submit = commands.add_parser(
        "submit", help="put your notebooks in NAME.zip, checked, to hand in"
    )
    submit.add_argument("name", metavar="NAME", help="your name: the zip's name")
    submit.add_argument(
        "--dest", type=Path, metavar="FOLDER", help="where to write it (default: here)"
    )
    submit.set_defaults(handler=_submit)
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
    grade.add_argument(
        "--isolation",
        choices=("auto", "bwrap", "fence"),
        default="auto",
        help="bubblewrap if it works here (auto), bubblewrap or fail, or the "
        "audit hook only",
    )
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
    grade.set_defaults(handler=_grade)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args, find_root())
    except WorkshopError as error:
        print(f"workshop {args.command}: {error}", file=sys.stderr)
        return 2
