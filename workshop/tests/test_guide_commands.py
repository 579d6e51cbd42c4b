"""Every `workshop` and `make` command that README.md and INSTRUCTORS.md show is
one the tools accept: a renamed option or command fails here, not on the day.

INSTRUCTORS.md's grading section runs its commands for real (test_instructors);
the others are parsed, with their placeholders filled in, by the same parser
`workshop` uses, and each `make` target is looked up in the Makefile.
"""

from __future__ import annotations

import re
import shlex

import pytest

from workshop.cli import parser
from workshop.tests.conftest import ROOT

GUIDES = ("README.md", "INSTRUCTORS.md")
# What the guides write for "an exercise", "a lesson", "your address"...
PLACEHOLDERS = {
    "NN.k": "02.1",
    "NN": "02",
    "ADDRESS": "127.0.0.1",
    "URL": "http://127.0.0.1:8765",
    "CODE": "ABC123",
    "NAME": "ada",
}


def commands(tool: str) -> list[tuple[str, str]]:
    """(guide, command) for each command of `tool` in a code span or a shell block."""
    found = []
    for guide in GUIDES:
        text = (ROOT / guide).read_text(encoding="utf-8")
        blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)
        lines = [line for block in blocks for line in block.splitlines()]
        spans = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
        for piece in lines + spans:
            for part in re.split(r"&&|;", piece):
                words = part.strip().removeprefix(".venv/bin/")
                if words.startswith(f"{tool} "):
                    found.append((guide, words))
    return found


def _filled(command: str) -> list[str]:
    words = shlex.split(command.split(" #", 1)[0])[1:]
    return [PLACEHOLDERS.get(word, word) for word in words]


WORKSHOP = commands("workshop")
MAKE = commands("make")


def test_the_guides_show_commands() -> None:
    assert len(WORKSHOP) >= 20 and len(MAKE) >= 5


@pytest.mark.parametrize(("guide", "command"), WORKSHOP)
def test_each_workshop_command_is_accepted(guide: str, command: str) -> None:
    words = [
        "submission.zip" if word.startswith("../submissions/") else word
        for word in _filled(command)
    ]
    top = parser()
    if len(words) == 1:  # a command named in a sentence, without its arguments
        [commands] = [a for a in top._actions if a.dest == "command"]
        assert words[0] in (commands.choices or {}), f"{guide}: `{command}`"
        return
    try:
        top.parse_args(words)
    except SystemExit as exit:
        pytest.fail(f"{guide}: `{command}` is refused (exit {exit.code})")


@pytest.mark.parametrize(("guide", "command"), MAKE)
def test_each_make_target_exists(guide: str, command: str) -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w.-]+):", makefile, flags=re.MULTILINE))
    for word in _filled(command):
        if "=" not in word:
            assert word in targets, f"{guide}: `{command}`: no target {word}"
