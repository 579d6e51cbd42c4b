"""Every attendee notebook in a real JupyterLab, driven in headless Chromium.

nbval proves every cell runs in a kernel; only a browser proves what attendees
see: Lab opens the notebook, "Run All Cells" reaches the end without a traceback,
every Mermaid diagram renders, every check prints its report and the file cells
write what the notebook says into app/. One Lab serves one workshop copy; before
each notebook its files are put back at that lesson's start, as an attendee who
caught up has them. A screenshot of each notebook is kept in the test's folder.
New lessons join automatically. The browser is Debian's `chromium` (CI installs
it); Playwright only drives it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from workshop import timeouts
from workshop.attendee.catchup import catch_up
from workshop.authoring import notebooks
from workshop.authoring.fold import start_of
from workshop.authoring.sandbox import make_sandbox
from workshop.checking import exercises_of
from workshop.project import find_root, lesson_number, solution_notebooks

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = find_root(Path(__file__))
NOTEBOOKS = [f"notebooks/{path.name}" for path in solution_notebooks(ROOT)]
# Limits, not measurements: generous, so a slow CI machine does not fail the test.
START_LIMIT = timeouts.scaled(60.0)
RUN_ALL_LIMIT_MS = timeouts.scaled(180_000)
UI_LIMIT_MS = timeouts.scaled(60_000)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium; "
    ".ci/run installs it)",
)


@dataclass
class Lab:
    """A running JupyterLab: where it serves, and the workshop copy it serves."""

    url: str
    token: str
    sandbox: Path

    def api(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers=self._auth
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    @property
    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    def page_url(self, notebook: str) -> str:
        """A workspace of its own per notebook, so no other notebook is open beside it."""
        workspace = Path(notebook).stem
        return (
            f"{self.url}/lab/workspaces/{workspace}/tree/{notebook}?token={self.token}"
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def _lab_environment(home: Path) -> dict[str, str]:
    """Lab's state lives in `home`, so neither the machine's settings nor a previous
    run change what the test sees, and the news prompt (a request to the internet)
    never appears. The kernel is the one of this environment (the venv's python3)."""
    settings = home / "lab-settings"
    _write_json(
        settings / "@jupyterlab/apputils-extension/notification.jupyterlab-settings",
        {"fetchNews": "false", "checkForUpdates": False},
    )
    # Every cell in the page, rendered, however long the notebook.
    _write_json(
        settings / "@jupyterlab/notebook-extension/tracker.jupyterlab-settings",
        {"windowingMode": "none"},
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("APP_", "JUPYTER", "IPYTHON"))
        # attendees' machines write bytecode; the workshop must cope with that
        and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]]),
    )
    return env


def _make_lab() -> str:
    """The command `make lab` runs, as `make -n` prints it."""
    recipe = subprocess.run(
        ["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.replace("\\\n", " ")
    return next(line for line in recipe.splitlines() if "jupyter lab" in line)


def _make_lab_options() -> list[str]:
    """The server options of `make lab`, so the test's Lab is the attendees'."""
    return [arg for arg in shlex.split(_make_lab()) if arg.startswith("--ServerApp.")]


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server, then anything it started (kernels) in its process group."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A workshop copy, served by `jupyter lab`."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    sandbox = make_sandbox(ROOT, tmp / "w", lesson=1)
    port, token = _free_port(), secrets.token_hex(16)
    log = (tmp / "jupyter.log").open("wb")
    command = [
        str(Path(sys.executable).with_name("jupyter")),
        "lab",
        "--no-browser",
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--allow-root",
        *_make_lab_options(),
    ]
    process = subprocess.Popen(
        command,
        cwd=sandbox,
        env=_lab_environment(tmp / "home"),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Lab(f"http://127.0.0.1:{port}", token, sandbox)
    try:
        deadline = time.monotonic() + START_LIMIT
        while True:
            if process.poll() is not None:
                pytest.fail(f"jupyter lab exited:\n{_tail(tmp / 'jupyter.log')}")
            try:
                server.api("/api/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"jupyter lab did not answer within {START_LIMIT:g} s:\n"
                        + _tail(tmp / "jupyter.log")
                    )
                time.sleep(0.2)
        yield server
    finally:
        _stop(process)
        log.close()


def _tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-30:])


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 4000},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A tab that notes every request it makes beyond 127.0.0.1 (there should be none)."""
    tab = browser.new_page()
    tab.elsewhere = []

    def note(request: Any) -> None:
        if not re.match(
            r"^(https?|wss?)://127\.0\.0\.1[:/]|^(data|blob):", request.url
        ):
            tab.elsewhere.append(request.url)

    tab.on("request", note)
    try:
        yield tab
    finally:
        tab.close()


def _wait_for_kernel(lab: Lab, notebook: str) -> str:
    """Lab's toolbar says "idle" before its kernel websocket is up; the server knows.
    Returns the session's id."""
    deadline = time.monotonic() + START_LIMIT
    while time.monotonic() < deadline:
        for session in lab.api("/api/sessions"):
            kernel = session.get("kernel") or {}
            if (
                session.get("path") == notebook
                and kernel.get("connections", 0) > 0
                and kernel.get("execution_state") == "idle"
            ):
                return session["id"]
        time.sleep(0.2)
    pytest.fail(f"the kernel of {notebook} did not connect within {START_LIMIT:g} s")


def _open(page: Any, lab: Lab, notebook: str) -> None:
    page.goto(lab.page_url(notebook))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=UI_LIMIT_MS)


_CELLS_SCRIPT = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].map(cell => ({
    code: cell.classList.contains('jp-CodeCell'),
    prompt: cell.querySelector('.jp-InputPrompt')?.textContent.trim() ?? '',
    source: cell.querySelector('.cm-content')?.innerText ?? '',
    outputs: [...cell.querySelectorAll('.jp-OutputArea-output')].map(o => o.textContent),
}))"""

# Done when Lab shows every code cell (it attaches them to the page in batches) and
# each has an execution count, or when a cell raised and nothing is queued any more.
_FINISHED_SCRIPT = """expected => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
        .map(p => p.textContent.trim());
    const numbered = prompts.length === expected
        && prompts.every(p => /^\\[\\d+\\]:$/.test(p));
    const busy = prompts.some(p => p === '[*]:');
    const failed = [...document.querySelectorAll('.jp-OutputArea-output')]
        .some(o => o.textContent.includes('Traceback'));
    return numbered || (failed && !busy);
}"""


def _cells(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(_CELLS_SCRIPT)


def _command(page: Any, label: str) -> None:
    """Run a command through the command palette, as an attendee would."""
    page.locator(".jp-Notebook .jp-Cell").first.click()
    page.keyboard.press("Escape")
    page.keyboard.press("Control+Shift+C")
    palette = page.locator(".lm-CommandPalette-input")
    palette.wait_for(timeout=UI_LIMIT_MS)
    palette.fill(label)
    page.locator(".lm-CommandPalette-item.lm-mod-active", has_text=label).wait_for(
        timeout=UI_LIMIT_MS
    )
    page.keyboard.press("Enter")


def _run_all(page: Any, code_cells: int) -> None:
    """Run All Cells. Cells whose code a lesson hides (long test files) are shown
    first: a hidden cell has no prompt to read its execution count from."""
    _command(page, "Expand All Code")
    _command(page, "Run All Cells")
    from playwright.sync_api import TimeoutError as Timeout

    try:
        page.wait_for_function(
            _FINISHED_SCRIPT, arg=code_cells, timeout=RUN_ALL_LIMIT_MS
        )
    except Timeout:
        cells = [c for c in _cells(page) if c["code"]]
        waiting = [
            f"{c['prompt'] or '(no prompt)'} {c['source'][:50]!r}"
            for c in cells
            if not re.match(r"\[\d+\]:", c["prompt"])
        ]
        pytest.fail(
            f"Run All did not finish within {RUN_ALL_LIMIT_MS / 1000:g} s: Lab shows "
            f"{len(cells)} of {code_cells} code cells; not run: {waiting[:5]}"
        )


def _outputs(cells: list[dict[str, Any]], source: str) -> str:
    matches = [c for c in cells if c["code"] and c["source"].strip() == source]
    assert len(matches) == 1, f"expected one cell {source!r}, found {len(matches)}"
    return "\n".join(matches[0]["outputs"])


def _mermaid_blocks(sandbox: Path, notebook: str) -> int:
    cells = json.loads((sandbox / notebook).read_text(encoding="utf-8"))["cells"]
    return sum(
        "".join(c["source"]).count("```mermaid")
        for c in cells
        if c["cell_type"] == "markdown"
    )


def _wait_for_diagrams(page: Any, expected: int) -> None:
    """Every Mermaid block becomes a picture (Lab renders them after the page)."""
    page.wait_for_function(
        """n => [...document.querySelectorAll('.jp-RenderedMermaid')]
            .filter(d => d.querySelector('img, svg')).length >= n""",
        arg=expected,
        timeout=UI_LIMIT_MS,
    )
    assert page.locator(".jp-RenderedMermaid").count() == expected
    if expected:
        picture = page.locator(".jp-RenderedMermaid :is(img, svg)").first
        assert picture.bounding_box()["width"] > 100, "a diagram too small to read"


def _assert_the_checks_reported(cells: list[dict[str, Any]], lesson: int) -> None:
    """Each check cell shows its report; the exercises are stubs, so none passes."""
    for exercise in exercises_of(lesson):
        report = _outputs(cells, f'check("{exercise}")')
        assert report.startswith(f"Exercise {exercise}: "), report[:200]
        assert "Not yet: " in report, f"the stubbed exercise {exercise} is not done"
        assert "Hint (1 of " in report
    checks = [c for c in cells if c["code"] and c["source"].startswith("check(")]
    assert all("".join(c["outputs"]).strip() for c in checks), "a check said nothing"


def _assert_the_files_were_written(
    cells: list[dict[str, Any]],
    notebook: notebooks.Node,
    sandbox: Path,
    start: dict[str, str],
) -> None:
    """Each file cell reported its work, and the files hold what the copy writes
    over `start` (a `--definitions` cell writes into the file)."""
    code = [c for c in cells if c["code"]]
    shown = [
        c for c in code if c["source"].startswith(("%%save_file ", "%delete_file "))
    ]
    final: dict[str, str | None] = {}
    for cell, seen in zip(notebooks.file_cells(notebook.cells), shown, strict=True):
        verb = "Deleted" if cell.deletes else "Saved"
        assert "".join(seen["outputs"]).startswith(f"{verb} {cell.path}"), cell.path
        before = final.get(cell.path, start.get(cell.path))
        final[cell.path] = None if cell.deletes else cell.written(before)
    for path, text in final.items():
        if text is None:
            assert not (sandbox / path).exists(), f"{path} was not deleted"
        else:
            assert (sandbox / path).read_text(encoding="utf-8") == text, path


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda n: Path(n).stem)
def test_run_all_in_jupyterlab(
    lab: Lab, page: Any, tmp_path: Path, notebook: str
) -> None:
    """The notebook as attendees get it, stubs in place, Run All from a fresh
    kernel, with the files at the start of its lesson."""
    lesson = lesson_number(Path(notebook))
    catch_up(lab.sandbox, lesson)
    start = start_of(lab.sandbox, lesson).texts()
    source = notebooks.read(lab.sandbox / notebook)
    code_cells = [c for c in source.cells if c.cell_type == "code"]

    _open(page, lab, notebook)
    session = _wait_for_kernel(lab, notebook)
    try:
        _run_all(page, len(code_cells))
        cells = _cells(page)
    finally:
        lab.api(f"/api/sessions/{session}", method="DELETE")  # its kernel too

    code = [c for c in cells if c["code"]]
    assert len(code) == len(code_cells), "Lab shows every code cell of the notebook"
    tracebacks = "\n\n".join(
        f"{c['source'][:60]!r} showed:\n" + "\n".join(c["outputs"])[-2000:]
        for c in code
        if any("Traceback" in o for o in c["outputs"])
    )
    unfinished = [
        c["source"][:60] for c in code if not re.match(r"\[\d+\]:", c["prompt"])
    ]
    assert not unfinished, f"cells that did not run: {unfinished}\n{tracebacks}"
    assert not tracebacks, f"cells that raised:\n{tracebacks}"
    raw = [c["source"][:60] for c in code if any("\x1b[" in o for o in c["outputs"])]
    assert not raw, f"colour codes shown as text, not colours: {raw}"
    _assert_the_checks_reported(cells, lesson)
    _assert_the_files_were_written(cells, source, lab.sandbox, start)
    if lesson >= 1:
        assert (
            _outputs(cells, code[0]["source"].strip())
            .strip()
            .endswith(f"Your files are at the start of lesson {lesson:02d}.")
        )

    _wait_for_diagrams(page, _mermaid_blocks(lab.sandbox, notebook))
    page.screenshot(path=str(tmp_path / f"{Path(notebook).stem}.png"), full_page=True)
    assert (tmp_path / f"{Path(notebook).stem}.png").stat().st_size > 10_000
    assert page.elsewhere == [], "the page asked for something beyond 127.0.0.1"


def test_workshop_runs_in_a_lab_terminal(lab: Lab, page: Any) -> None:
    """Lab started as `make lab` starts it (the environment's bin first on PATH):
    the attendee's terminal finds the `workshop` command."""
    page.goto(f"{lab.url}/lab/workspaces/terminal?token={lab.token}")
    page.locator(".jp-LauncherCard").first.wait_for(timeout=UI_LIMIT_MS)
    page.keyboard.press("Control+Shift+C")
    palette = page.locator(".lm-CommandPalette-input")
    palette.wait_for(timeout=UI_LIMIT_MS)
    palette.fill("New Terminal")
    page.locator(
        ".lm-CommandPalette-item.lm-mod-active", has_text="New Terminal"
    ).wait_for(timeout=UI_LIMIT_MS)
    page.keyboard.press("Enter")
    screen = page.locator(".jp-Terminal .xterm-screen")
    screen.wait_for(timeout=UI_LIMIT_MS)
    screen.click()
    # The terminal draws on a canvas: what the command printed is read from a file.
    page.keyboard.type("workshop check 00.9 > terminal.txt 2>&1\n")
    said = lab.sandbox / "terminal.txt"  # terminals start in the served folder
    deadline = time.monotonic() + UI_LIMIT_MS / 1000
    while not (said.exists() and said.read_text().strip()):
        assert time.monotonic() < deadline, "the terminal did not run the command"
        time.sleep(0.2)
    assert said.read_text().startswith("There is no exercise 00.9")


def test_make_lab_puts_the_environment_first_on_path() -> None:
    """What the terminal test above assumes of `make lab`."""
    assert _make_lab().startswith(f'PATH="{ROOT / ".venv" / "bin"}:')
