"""Exercise code that reaches for the grader instead of the exercise: flagged.

No exercise of the workshop needs the `workshop` package, the import system's
module table, the garbage collector, ctypes, /proc or the interpreter's frames.
An answer that names one of them is flagged in its row for the instructor to
read: that is how an attendee would look for the grader's secrets or patch its
checks from inside the checked process. Names spelled at run time
(`getattr(__import__("g" + "c"), ...)`) are not caught here; the diff shows
them.
"""

from __future__ import annotations

import io
import re
import textwrap
import tokenize

NAMES = {
    "workshop": "the workshop package",
    "gc": "the garbage collector",
    "ctypes": "ctypes",
    "_ctypes": "ctypes",
    "builtins": "builtins",
    "__builtins__": "builtins",
    "_getframe": "the interpreter's frames",
    "f_back": "the interpreter's frames",
    "f_locals": "the interpreter's frames",
    "f_globals": "the interpreter's frames",
    "__globals__": "the interpreter's frames",
    "__subclasses__": "the interpreter's classes",
}
TEXTS = {
    "/proc": "/proc",
    "sys.modules": "sys.modules",
    "workshop": "the workshop package",
    "ctypes": "ctypes",
}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRINGS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def _tokens(code: str) -> list[tuple[int, str]]:
    """(type, text) of each token; a fragment that does not tokenize is read as words."""
    try:
        return [
            (t.type, t.string)
            for t in tokenize.generate_tokens(
                io.StringIO(textwrap.dedent(code)).readline
            )
        ]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [(tokenize.NAME, word) for word in _WORD.findall(code)]


def touches(code: str) -> list[str]:
    """What of the grader's `code` reaches for, in a stable order, each once."""
    found: list[str] = []
    previous: list[str] = []
    for kind, text in _tokens(code):
        if kind == tokenize.NAME and text in NAMES:
            found.append(NAMES[text])
        elif kind in _STRINGS:
            found += [what for needle, what in TEXTS.items() if needle in text]
            found += [NAMES[text.strip("'\"")]] if text.strip("'\"") in NAMES else []
        if previous[-2:] == ["sys", "."] and text == "modules":
            found.append("sys.modules")
        if kind not in {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT}:
            previous.append(text)
    return list(dict.fromkeys(found))
