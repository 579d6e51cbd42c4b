"""`workshop hub-link HUB_URL`: the link that opens the workshop on a JupyterHub.

On a hub, material is handed out with nbgitpuller: one link clones the
repository into each user's home folder (into a folder named after it) the
first time, merges new commits without touching the user's changes after that,
and opens the first notebook in JupyterLab. The repository and the branch or
tag default to the README's Binder badge, so the hub and Binder teach the same
version.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from workshop.project import WorkshopError

FIRST_NOTEBOOK = "notebooks/00-welcome.ipynb"
_BADGE = re.compile(r"mybinder\.org/v2/gh/([\w.-]+)/([\w.-]+)/([^?\s)]+)\?")


def badge(root: Path) -> tuple[str, str]:
    """(repository URL, ref) of the README's Binder badge."""
    found = _BADGE.search((root / "README.md").read_text(encoding="utf-8"))
    if found is None:
        raise WorkshopError("README.md has no Binder badge: give --repo and --branch.")
    owner, name, ref = found.groups()
    return f"https://github.com/{owner}/{name}", ref


def hub_link(
    hub: str, root: Path, *, repo: str | None = None, branch: str | None = None
) -> str:
    """The nbgitpuller link for `hub`: clone or update, then open notebook 00."""
    parts = urlsplit(hub)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise WorkshopError(
            f"{hub} is not a hub's address: give it as https://hub.example.org"
        )
    default_repo, default_ref = badge(root) if not (repo and branch) else ("", "")
    repo, branch = repo or default_repo, branch or default_ref
    folder = repo.rstrip("/").split("/")[-1].removesuffix(".git")
    query = urlencode(
        {
            "repo": repo,
            "branch": branch,
            "urlpath": f"lab/tree/{folder}/{FIRST_NOTEBOOK}",
        }
    )
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"
