"""Lesson 10's demos show the ids their prose promises. A formatter imported
before `fresh_client()` imports the app anew reads the old import's request-id
variable, and its lines lose the id without failing anything else: the stored
outputs, which nbval holds every run to, must carry the ids."""

import json
from pathlib import Path

from workshop.project import find_root

LESSON = find_root(Path(__file__)) / "solutions" / "10-observability.ipynb"


def access_lines(cell_id: str) -> list[dict[str, object]]:
    """The JSON access lines a cell of the solution printed."""
    (cell,) = [c for c in json.loads(LESSON.read_text())["cells"] if c["id"] == cell_id]
    text = "".join(
        "".join(output.get("text", ""))
        for output in cell["outputs"]
        if output.get("name") == "stdout"
    )
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("logger") == "app.access"]


def test_the_log_demo_shows_each_requests_id() -> None:
    chosen, made = access_lines("l10-031")
    assert chosen["request_id"] == "lesson-10"
    assert made["route"] == "unmatched" and len(str(made["request_id"])) == 36


def test_the_trace_demo_shows_the_request_id_and_no_trace_id_before_10_2() -> None:
    """The demo runs before exercise 10.2, as its prose says: the stub adds no ids."""
    (line,) = access_lines("l10-037")
    assert len(str(line["request_id"])) == 36
    assert "trace_id" not in line and "span_id" not in line
