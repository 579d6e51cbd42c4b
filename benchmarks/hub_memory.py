"""Memory per user on a JupyterHub: what a lesson's Run All and its checks peak at
(not a test: run it by hand; INSTRUCTORS.md, "A class on a JupyterHub").

    .venv/bin/python benchmarks/hub_memory.py [NN ...]

For each lesson (default: all), in a throwaway copy at the lesson's start, it
runs the solution notebook from top to bottom in a fresh kernel, then `workshop
check NN` on the files it left, and samples the memory of the whole process
tree every 50 ms (the sum of every process's resident set: the kernel, the
servers and interpreters it starts, the checks' child processes), as a hub's
per-user limit counts it. It also measures an idle JupyterLab server, which a
user's session adds to whatever the kernel uses.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

from workshop import child
from workshop.authoring.sandbox import make_sandbox
from workshop.project import find_root, lesson_number, solution_notebooks

RUN = """
import sys
import nbformat
from nbclient import NotebookClient
path = sys.argv[1]
notebook = nbformat.read(path, as_version=4)
NotebookClient(notebook, timeout=900, kernel_name="python3",
    resources={"metadata": {"path": sys.argv[2]}}).execute()
"""


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for one in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # it ended meanwhile
            total += one.memory_info().rss
    return total


def peak_of(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, float]:
    """(peak bytes of the process tree, seconds) for one command."""
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    watched, peak = psutil.Process(process.pid), 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            with contextlib.suppress(psutil.Error):
                peak = max(peak, tree_rss(watched))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, errors = process.communicate()
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):  # a check that fails still ran
        sys.exit(f"{' '.join(command)} failed:\n{errors.decode()[-2000:]}")
    return peak, time.monotonic() - started


def idle_lab(root: Path) -> int:
    """What a JupyterLab server holds once it answers, before any kernel."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ["--ip", "127.0.0.1", f"--port={port}", "--ServerApp.token=memory"]
    lab = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", *server, "--allow-root"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/status?token=memory", timeout=1
                )
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(2)  # extensions finish loading
        return tree_rss(psutil.Process(lab.pid))
    finally:
        lab.terminate()
        lab.wait(timeout=30)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("lessons", nargs="*", type=int)
    chosen = options.parse_args().lessons
    root = find_root()
    mib = 2**20
    print(f"JupyterLab server, idle: {idle_lab(root) / mib:.0f} MiB")
    print("lesson  Run All (peak MiB, s)  its checks (peak MiB, s)")
    for source in solution_notebooks(root):
        lesson = lesson_number(source)
        if chosen and lesson not in chosen:
            continue
        with tempfile.TemporaryDirectory(prefix="workshop-memory-") as tmp:
            box = make_sandbox(root, Path(tmp) / "workshop", lesson)
            env = child.environment(PYTHONPATH=str(box))
            notebook = box / "solutions" / source.name
            ran, ran_s = peak_of(
                [sys.executable, "-c", RUN, str(notebook), str(notebook.parent)],
                box,
                env,
            )
            checks, checks_s = 0, 0.0
            if lesson > 0:
                workshop = [sys.executable, "-m", "workshop", "check", f"{lesson:02d}"]
                checks, checks_s = peak_of(workshop, box, env)
        print(
            f"{lesson:02d}      {ran / mib:6.0f} {ran_s:6.0f}          "
            f"{checks / mib:6.0f} {checks_s:6.0f}",
            flush=True,
        )
    print(f"on {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
