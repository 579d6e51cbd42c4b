"""INSTRUCTORS.md's hub section, followed as far as it runs without a hub.

The link `workshop hub-link` prints has nbgitpuller's format and opens notebook
00 in the folder nbgitpuller clones into; the section shows what the command
prints; its repo2docker command is one repo2docker accepts and builds the
Binder configuration with; and its grading command, run over home folders laid
out as The Littlest JupyterHub lays them out, gives one row per home, named
after it.
"""

from __future__ import annotations

import csv
import glob
import re
import shlex
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from workshop import cli
from workshop.authoring.sandbox import make_sandbox
from workshop.hub import hub_link
from workshop.project import WorkshopError
from workshop.tests.conftest import ROOT
from workshop.tests.grading.corpus import attendee_notebook, everything, save
from workshop.tests.test_binder import REPO2DOCKER, _clone_files

HUB = "https://hub.example.org"


def section() -> str:
    text = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    return text.split("## A class on a JupyterHub", 1)[1].split("\n## ", 1)[0]


def block_after(marker: str, kind: str) -> str:
    found = re.search(rf"{re.escape(marker)}.*?```{kind}\n(.*?)```", section(), re.S)
    assert found, f"no ```{kind} block after {marker!r}"
    return found.group(1).strip()


def test_the_link_pulls_the_badges_version_and_opens_notebook_00() -> None:
    link = urlsplit(hub_link(HUB, ROOT))
    assert (link.scheme, link.netloc) == ("https", "hub.example.org")
    assert link.path == "/hub/user-redirect/git-pull"
    query = {key: values[0] for key, values in parse_qs(link.query).items()}
    assert set(query) == {"repo", "branch", "urlpath"}
    badge = re.search(
        r"mybinder\.org/v2/gh/([^/]+)/([^/]+)/([^?]+)\?",
        (ROOT / "README.md").read_text(),
    )
    assert badge
    owner, name, ref = badge.groups()
    assert query["repo"] == f"https://github.com/{owner}/{name}"
    assert query["branch"] == ref
    # nbgitpuller clones into a folder named after the repository's last part
    folder, notebook = query["urlpath"].removeprefix("lab/tree/").split("/", 1)
    assert folder == name
    assert (ROOT / notebook).is_file() and notebook == "notebooks/00-welcome.ipynb"


def test_the_link_takes_a_hub_under_a_path_and_another_repository() -> None:
    link = hub_link(
        "https://example.org/jupyter/",
        ROOT,
        repo="https://git.example.org/team/course.git",
        branch="2026-05-workshop",
    )
    assert link.startswith("https://example.org/jupyter/hub/user-redirect/git-pull?")
    query = parse_qs(urlsplit(link).query)
    assert query["urlpath"] == ["lab/tree/course/notebooks/00-welcome.ipynb"]
    assert query["branch"] == ["2026-05-workshop"]
    with pytest.raises(WorkshopError, match="not a hub's address"):
        hub_link("hub.example.org", ROOT)


def test_the_section_shows_what_the_command_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    command = block_after("The link.", "bash")
    assert command == f"workshop hub-link {HUB}"
    assert cli.main(shlex.split(command)[1:]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == block_after(command, "text")


def test_the_image_command_builds_the_binder_configuration(tmp_path: Path) -> None:
    if not REPO2DOCKER.exists():
        pytest.skip("jupyter-repo2docker is not installed (the dev set pins it)")
    command = block_after("The image.", "bash")
    words = shlex.split(command)
    assert words[0] == "repo2docker" and "--target-repo-dir" in words
    # Without Docker: print the Dockerfile instead of building and pushing it,
    # from the files of a clone instead of the repository's address.
    words = [w for w in words[1:] if w not in {"--no-run", "--push"}]
    words = [w.replace("REGISTRY", "registry.example.org") for w in words]
    words = [w.replace("TAG", "v1") for w in words]
    words[-1] = str(_clone_files(tmp_path / "clone"))
    result = subprocess.run(
        [str(REPO2DOCKER), "--no-build", "--debug", *words],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "RUN ./.binder/postBuild" in result.stdout
    assert "gunicorn" not in result.stdout


def _home(homes: Path, user: str) -> Path:
    """A home folder after the link: the clone nbgitpuller made, and state."""
    clone = homes / f"jupyter-{user}" / "fastapi-in-production"
    for folder in ("notebooks", "solutions"):
        (clone / folder).mkdir(parents=True)
        for source in (ROOT / folder).glob("*.ipynb"):
            (clone / folder / source.name).write_bytes(source.read_bytes())
    (clone / ".ipynb_checkpoints").mkdir()
    return clone


def test_grading_the_home_folders_gives_a_row_per_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    homes = tmp_path / "home"
    ada = _home(homes, "ada")
    save(attendee_notebook(1, everything(1)), ada / "notebooks" / "01-structure.ipynb")
    _home(homes, "bo")  # opened the link, did nothing yet
    command = block_after("Grading the home folders.", "bash")
    words = shlex.split(command.removeprefix("sudo .venv/bin/"))
    assert words[:2] == ["workshop", "grade"] and "/home/jupyter-*" in words
    arguments = [
        found
        for word in words[1:]
        for found in (
            sorted(glob.glob(word.replace("/home/", f"{homes}/")))
            if "*" in word
            else [word]
        )
    ]
    monkeypatch.chdir(make_sandbox(ROOT, tmp_path / "checkout"))
    assert cli.main(arguments) in (0, 1)
    with open("gradebook.csv", encoding="utf-8") as book:
        rows = {row["attendee"]: row for row in csv.DictReader(book)}
    assert set(rows) == {"jupyter-ada", "jupyter-bo"}
    solved = everything(1)
    assert all(rows["jupyter-ada"][exercise] == "1" for exercise in solved)
    assert rows["jupyter-ada"]["total"] == str(len(solved))
    assert rows["jupyter-bo"]["total"] == "0"
