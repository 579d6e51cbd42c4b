"""Does every file of the attendee's app compile? The first one that does not, named.

Every check imports `app`: one file with a syntax error would fail every step
with the same message. Compiling the files first (in memory, nothing written)
names the file and the line once, and the report says that nothing else ran.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workshop.project import managed_on_disk


@dataclass(frozen=True)
class Broken:
    path: str  # "app/routers/health.py"
    message: str  # "app/routers/health.py, line 12: SyntaxError: invalid syntax"


def relative(filename: str, root: Path) -> str:
    """`filename` relative to `root` when it is inside it, as written otherwise."""
    try:
        return Path(filename).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return filename


def describe(error: SyntaxError, root: Path) -> str:
    """'app/x.py, line 12: SyntaxError: invalid syntax', without Python's own
    "(x.py, line 12)" suffix."""
    where = relative(error.filename, root) if error.filename else "a file"
    line = f", line {error.lineno}" if error.lineno else ""
    return f"{where}{line}: {type(error).__name__}: {error.msg}"


def first_broken(root: Path, folder: str = "app") -> Broken | None:
    """The first Python file under `folder` (in path order) that does not compile."""
    for path, file in managed_on_disk(root).items():
        if not (path.startswith(f"{folder}/") and path.endswith(".py")):
            continue
        try:
            compile(file.read_bytes(), str(root / path), "exec", dont_inherit=True)
        except SyntaxError as error:
            return Broken(path, describe(error, root))
        except ValueError as error:  # a null byte in the source
            return Broken(path, f"{path}: {error}")
    return None
