"""Where bubblewrap is missing: the audit hook only, said loudly, and still no
process left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main
from workshop.tests.conftest import ROOT
from workshop.tests.grading.corpus import (
    attendee_notebook,
    everything,
    processes,
    save,
    table_of,
)

WRITES = 'open("{target}", "w").write("escaped")\n'
LINKS = (
    'import os\nos.symlink("{target}", "link")\nopen("link", "w").write("escaped")\n'
)
STARTS = 'import subprocess\nsubprocess.run(["true"])\n'
SLEEPS = 'import ctypes\nctypes.CDLL(None).system(b"sleep 9876 &")\n'


def test_the_fence_is_named_and_still_refuses_writes_and_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "escaped.txt"
    folder = tmp_path / "submissions"
    corpus = [save(attendee_notebook(1, everything(1)), folder / "honest.ipynb")]
    for name, code in (
        ("writes", WRITES),
        ("links", LINKS),
        ("starts", STARTS),
        ("sleeps", SLEEPS),
    ):
        answer = {"01.2": code.format(target=target)}
        corpus.append(
            save(attendee_notebook(1, answers=answer), folder / f"{name}.ipynb")
        )
    monkeypatch.chdir(make_sandbox(ROOT, tmp_path / "instructor"))
    assert main(["grade", *map(str, corpus), "--isolation", "fence"]) == 1
    output = capsys.readouterr().out
    assert output.startswith(
        "!! WEAKER ISOLATION: the submissions ran under an audit hook only"
    )
    assert "sudo apt install bubblewrap" in output
    rows = {line.split()[0]: line for line in table_of(output).splitlines()[1:-1]}
    assert rows["honest"].split()[1:6] == ["✓", "✓", "✓", "3/3", "graded"]
    for name in ("writes", "links", "starts"):
        assert "tried to write outside its sandbox" in rows[name]
    assert not target.exists()
    assert processes("sleep 9876") == []
