"""Every hostile submission of the grading tests, as files (for grade_30.py --attacks).

The attacks of workshop.tests.grading.attacks (hostile code in lesson 01's
exercises) and those of test_attacks.py on the grader's inputs and reports:
wrong-shaped records, a shared /dev, a cell too large to line up, code after a
bare carriage return, clashing and formula names, a FIFO, links to /dev/zero
and to the solutions, millions of empty cells, millions of blank lines, a name
that is not UTF-8.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

from workshop.authoring.notebooks import dumps
from workshop.tests.grading import attacks
from workshop.tests.grading.corpus import attendee_notebook, save
from workshop.tests.grading.test_attacks import NONCE_FROM_THE_STACK, SHARED_DEV


def build(folder: Path, root: Path) -> list[Path]:
    folder.mkdir(parents=True)
    fields = {
        "CHECKOUT": root,
        "REPO": root,
        "GRADER_CODE": root / "workshop" / "checking.py",
        "HOME": Path.home(),
        "CANARY": folder / "canary",
        "GRADER_PID": os.getpid(),
        "PORT": 9,  # nothing listens there
        "VERSION_DIGITS": int("abcdef", 16) % 97,
    }
    paths = [
        save(
            attendee_notebook(1, answers=attacks.answers(n, fields)),
            folder / f"{n}.ipynb",
        )
        for n in attacks.ALL
    ]
    paths.append(
        save(
            attendee_notebook(1, answers={"01.2": NONCE_FROM_THE_STACK}),
            folder / "shapes.ipynb",
        )
    )
    for name in ("shm-first", "shm-second"):
        answer = SHARED_DEV.format(NAME=name)
        paths.append(
            save(
                attendee_notebook(1, answers={"01.2": answer}), folder / f"{name}.ipynb"
            )
        )
    padded = attendee_notebook(
        1, edit=lambda p, t: "\n" * 30_000 + t if "main" in p else t
    )
    paths.append(save(padded, folder / "padded.ipynb"))
    hidden = "# done\rimport os; os.system('true')\n"
    cr = attendee_notebook(
        1, {"01.1"}, edit=lambda p, t: hidden + t if "health" in p else t
    )
    paths.append(save(cr, folder / "carriage-return.ipynb"))
    stub = attendee_notebook(1)
    for name in (
        "bo-01-structure.ipynb",
        "ann lee.ipynb",
        "ann-lee.ipynb",
        "pass rate.ipynb",
        '=HYPERLINK("http:__evil").ipynb',
    ):
        paths.append(save(stub, folder / name))
    paths.append(save(stub, folder / "bo" / "01-structure.ipynb").parent)
    fifo = folder / "fifo"
    fifo.mkdir()
    os.mkfifo(fifo / "01-structure.ipynb")
    for name, target in (
        ("zero", Path("/dev/zero")),
        ("linked", root / "solutions" / "01-structure.ipynb"),
    ):
        (folder / name).mkdir()
        (folder / name / "01-structure.ipynb").symlink_to(target)
    paths += [fifo, folder / "zero", folder / "linked"]
    with zipfile.ZipFile(folder / "cells.zip", "w", zipfile.ZIP_DEFLATED) as out:
        cells = json.dumps({"cells": [{}] * 6_000_000}, separators=(",", ":"))
        out.writestr("01-structure.ipynb", cells)  # 18 MB, under the size cap
    with zipfile.ZipFile(folder / "blank-lines.zip", "w", zipfile.ZIP_DEFLATED) as out:
        cell = {
            "cell_type": "code",
            "source": "\n" * (5 * 2**20),
            "metadata": {},
            "outputs": [],
        }
        for copy in range(9):
            out.writestr(
                f"copy{copy}/01-structure.ipynb",
                json.dumps(
                    {
                        "cells": [cell],
                        "metadata": {},
                        "nbformat": 4,
                        "nbformat_minor": 5,
                    }
                ),
            )
    odd = Path(os.fsdecode(bytes(folder) + b"/caf\xe9.zip"))
    with zipfile.ZipFile(odd, "w") as out:
        out.writestr("01-structure.ipynb", dumps(attendee_notebook(1)))
    paths += [folder / "cells.zip", folder / "blank-lines.zip", odd]
    return paths
