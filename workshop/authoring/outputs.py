"""Cell outputs as nbval compares them: streams merged, volatile values sanitized.

nbval's strict mode compares text outputs, `text/*` data and each stream by its
name, after the regular expressions of `nbval-sanitize.cfg` (durations, tokens,
ids); it ignores images, tracebacks and execution counts. `comparable` gives the
same view, so a comparison made here agrees with nbval's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SANITIZE = Path(__file__).with_name("nbval-sanitize.cfg")
# What nbval leaves out of a comparison (images too, without nbdime).
SKIPPED = {
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
}


def sanitizers(config: Path = SANITIZE) -> list[tuple[re.Pattern[str], str]]:
    """The (regex, replacement) pairs of an nbval sanitize file, in order."""
    lines = [line for line in config.read_text().splitlines() if ": " in line]
    pairs = zip(lines[::2], lines[1::2], strict=True)
    return [(re.compile(r.split(": ", 1)[1]), s.split(": ", 1)[1]) for r, s in pairs]


def sanitize(text: Any, patterns: list[tuple[re.Pattern[str], str]]) -> Any:
    if isinstance(text, list):
        text = "".join(text)
    if not isinstance(text, str):
        return text
    for pattern, replacement in patterns:
        text = pattern.sub(replacement, text)
    return text


def comparable(
    outputs: Iterable[dict[str, Any]],
    patterns: list[tuple[re.Pattern[str], str]] | None = None,
) -> dict[str, list[Any]]:
    """{key: values}: each stream under its name (stdout, stderr), each other
    output's keys and MIME types, sanitized, as nbval lines them up."""
    patterns = sanitizers() if patterns is None else patterns
    found: dict[str, list[Any]] = {}
    streams: dict[str, list[str]] = {}
    for output in outputs:
        if output.get("output_type") == "stream":
            text = output.get("text", "")
            streams.setdefault(output.get("name", "stdout"), []).append(
                "".join(text) if isinstance(text, list) else text
            )
            continue
        for key, value in output.items():
            if key in SKIPPED:
                continue
            items = value.items() if key == "data" else [(key, value)]
            for name, item in items:
                if name not in SKIPPED:
                    found.setdefault(name, []).append(sanitize(item, patterns))
    for name, texts in streams.items():
        found[name] = [sanitize("".join(texts), patterns)]
    return found
