"""Which isolation grading gets, and what bubblewrap is told."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from workshop.cli import main
from workshop.grading import isolation, launch
from workshop.project import WorkshopError
from workshop.tests.conftest import ROOT

KERNEL = isolation.detect(ROOT)
needs_bwrap = pytest.mark.skipif(
    not KERNEL.kernel, reason=f"needs bubblewrap that works here ({KERNEL.problem})"
)


def test_bubblewrap_is_told_to_share_nothing_writable_and_keep_no_privilege() -> None:
    command = launch.bwrap_command("bwrap", ROOT, ["python"], {})
    for option in ("--unshare-all", "--die-with-parent", "--new-session", "--clearenv"):
        assert option in command
    assert command[command.index("--cap-drop") + 1] == "ALL"
    assert command[command.index("--remount-ro") + 1] == "/"
    assert "--bind" not in command and "--dev-bind" not in command
    shared = [command[i + 2] for i, part in enumerate(command) if part == "--ro-bind"]
    assert str(ROOT / "workshop") in shared
    for folder in shared:
        assert not (Path(folder) / "solutions").exists(), folder
        assert Path(folder) not in {ROOT, Path.home(), Path("/")}, folder


@pytest.mark.parametrize("place", ["/usr/local/src/workshop", sys.prefix + "/w"])
def test_a_checkout_in_a_shared_folder_is_refused(place: str) -> None:
    with pytest.raises(WorkshopError, match=f"The checkout {place} lies in /"):
        launch.bwrap_command("bwrap", Path(place), ["python"], {})


def test_the_fence_is_announced_with_how_to_get_bubblewrap() -> None:
    found = isolation.detect(ROOT, "fence")
    assert not found.kernel
    assert found.header().startswith("!! WEAKER ISOLATION")
    assert isolation.HOW_TO_GET_IT in found.header()
    with pytest.raises(WorkshopError, match="--isolation is one of auto, bwrap, fence"):
        isolation.detect(ROOT, "docker")


def test_a_bwrap_that_cannot_make_namespaces_means_the_fence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "bwrap"
    fake.write_text(
        "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setattr(isolation, "_DETECTED", {})
    monkeypatch.setattr(isolation.shutil, "which", lambda name: str(fake))
    monkeypatch.setattr(launch.os, "geteuid", lambda: 1000)  # run it as it is
    found = isolation.detect(ROOT)
    assert not found.kernel
    assert found.problem == "bwrap: bwrap: setting up uid map: Permission denied"
    with pytest.raises(WorkshopError, match="sudo apt install bubblewrap"):
        isolation.detect(ROOT, "bwrap")
    monkeypatch.setattr(isolation.shutil, "which", lambda name: None)
    monkeypatch.setattr(isolation, "_DETECTED", {})
    assert isolation.detect(ROOT).problem == "bubblewrap (bwrap) is not installed"


def test_doctor_says_which_isolation_grading_gets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["doctor"])
    lines = [line for line in capsys.readouterr().out.splitlines() if "grading" in line]
    expected = "✓ grading (instructors): bubblewrap" if KERNEL.kernel else "! grading"
    assert lines and lines[0].startswith(expected)


@needs_bwrap
def test_inside_there_is_no_privilege_no_network_and_nothing_of_the_machine() -> None:
    code = (
        "import os, socket\n"
        "status = dict(l.split(':\\t') for l in open('/proc/self/status').read().splitlines())\n"
        "print(os.getuid(), status['CapEff'], status['CapBnd'], sorted(os.listdir('/')))\n"
        "print(sorted(os.environ))\n"
        "print(socket.if_nameindex())\n"
    )
    process = launch.start(
        KERNEL.bwrap, ROOT, [sys.executable, "-I", "-c", code], capture=True
    )
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    identity, environment, network = out.decode().splitlines()
    uid, effective, bounding, top = identity.split(" ", 3)
    assert int(uid) == (65534 if os.geteuid() == 0 else os.getuid())
    assert int(effective, 16) == 0 and int(bounding, 16) == 0
    assert "home" not in top and "srv" not in top and "var" not in top
    assert set(eval(environment)) - {"PWD"} == set(launch.ENVIRONMENT)
    assert eval(network) == [(1, "lo")]
