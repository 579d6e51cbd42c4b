"""Inputs that once stopped the batch: each is now a row, and the table is printed."""

# ruff: noqa: RUF001  (the table marks a missing exercise with an en dash)
from __future__ import annotations

import json
from pathlib import Path

import pytest

from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main
from workshop.tests.conftest import ROOT
from workshop.tests.grading.corpus import (
    attendee_notebook,
    code_cell,
    everything,
    save,
    table_of,
)

EXPECTED = """\
attendee          01.1  01.2  01.3  total  status
nul-path          ✓     ✓     ✓     3/3    graded · ⚑ file cells the lesson does not have: 'app/x\\x00y.py'
folder-path       ✓     ✓     ✓     3/3    graded · ⚑ file cells the lesson does not have: 'app/routers'
deep              –     –     –     0/3    broken notebook JSON (nested too deep)
numbers           –     –     –     0/3    not a notebook (a cell's source is not text)
cells-not-a-list  –     –     –     0/3    not a notebook
not-utf8          –     –     –     0/3    broken notebook JSON
empty             –     –     –     0/3    broken notebook JSON
a-list            –     –     –     0/3    not a notebook
folder.ipynb      –     –     –     0/3    no notebooks found
missing           –     –     –     0/3    not found
submission        –     –     –     0/3    no file matches this pattern (an empty folder?)
broken            –     –     –     0/3    broken zip archive
evil-2K           ✓     ✓     ✓     3/3    graded
honest            ✓     ✓     ✓     3/3    graded
pass rate         100%  100%  100%"""


def build(folder: Path) -> list[Path]:
    solved = everything(1)
    paths = []
    for name, path in (("nul-path", "app/x\x00y.py"), ("folder-path", "app/routers")):
        notebook = attendee_notebook(1, solved)
        notebook.cells.append(code_cell("mine", f"%%save_file {path}\nx = 1\n"))
        paths.append(save(notebook, folder / f"{name}.ipynb"))
    raw = {
        "deep": b"[" * 100_000 + b"]" * 100_000,
        "numbers": json.dumps(
            {"cells": [{"cell_type": "code", "source": [1, 2]}]}
        ).encode(),
        "cells-not-a-list": b'{"cells": {"a": 1}}',
        "not-utf8": b"\xff\xfe\x00{",
        "empty": b"",
        "a-list": b"[]",
    }
    for name, data in raw.items():
        paths.append(folder / f"{name}.ipynb")
        paths[-1].write_bytes(data)
    (folder / "folder.ipynb").mkdir()
    paths += [folder / "folder.ipynb", folder / "missing.ipynb"]
    paths += [folder / "empty-folder" / "*", folder / "broken.zip"]
    paths[-1].write_bytes(b"PK\x03\x04 not really")
    paths.append(
        save(attendee_notebook(1, solved), folder / "evil\x1b[2K\r\u202e.ipynb")
    )
    paths.append(save(attendee_notebook(1, solved), folder / "honest.ipynb"))
    return paths


@pytest.mark.parametrize("whole_files", [False, True])
def test_every_bad_input_is_a_row(
    whole_files: bool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    corpus = build(tmp_path / "submissions")
    monkeypatch.chdir(make_sandbox(ROOT, tmp_path / "instructor"))
    status = main(["grade", *map(str, corpus), *(["--whole-files"] * whole_files)])
    output = capsys.readouterr().out
    assert status == 1
    assert table_of(output) == EXPECTED
    assert "\x1b" not in output and "\r" not in output and "\u202e" not in output
