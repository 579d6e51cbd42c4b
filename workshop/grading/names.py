"""An attendee's row name, from a file name the attendee chose: safe everywhere.

The name reaches a terminal table, CSV files a spreadsheet opens, a gradebook
a learning platform imports and a feedback file's name. So it is slugged
(letters, digits, `_`, `.` and `-`; bytes that are not UTF-8 first written as
`\xff`), and two submissions whose slugs differ only in case or punctuation
(`ann lee`, `ann-lee`, `Ann_Lee`... would share a feedback file) clash: both
rows say so and are not graded until the instructor renames one; a silent
"(2)" would let one attendee take another's row. Names a report uses for
itself (`pass rate`, `attendee`) are refused.
"""

from __future__ import annotations

import os
import re
import unicodedata

RESERVED = {"attendee", "pass-rate", "total", "status"}
MAX_LENGTH = 64


def printable(text: str) -> str:
    """`text` with the bytes of a file name that were not UTF-8 (which Python
    keeps as lone surrogates) written as `\\xff`, and any other lone surrogate
    (JSON allows "\\ud800") as `\\ud800`: encodable anywhere."""
    try:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    except UnicodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def slug(name: str) -> str:
    """A row name: NFKC letters and digits, `_`, `.` and `-`, nothing else."""
    text = unicodedata.normalize("NFKC", printable(name))
    text = re.sub(r"[^\w.-]+", "-", text).strip(".-_")
    return text[:MAX_LENGTH].rstrip(".-_") or "submission"


def key(name: str) -> str:
    """What two names must not share: the same key is the same feedback file on
    a case-insensitive disk, and a human reads them as one attendee."""
    return re.sub(r"[-_.]+", "-", name.casefold())
