"""What production refuses, checked once at start-up, with one line per problem.

`check_settings` raises `UnsafeSettings` in production, listing every problem it
found, each naming the variable to change and never printing a secret; in the
other environments it logs misspelled names as warnings and lets the service
start. Gunicorn's master can call it before any worker boots.
"""

import logging
import os
from collections.abc import Iterable
from difflib import get_close_matches

from dotenv import dotenv_values

from app.config import DEVELOPMENT_SECRET, ENV_FILE, ENV_PREFIX, SECRETS_DIR, Settings
from app.schemas.users import password_problem

logger = logging.getLogger("app.config")

MIN_ADMIN_PASSWORD = 15  # the same rule as every other account's (app/schemas)
# A generated key has dozens of different characters; "aaaa..." has one.
MIN_KEY_CHARACTERS = 8
# Passwords printed in this repository's examples and tests: public.
PUBLISHED_PASSWORDS = {"correct horse battery staple", "a secret for the tests"}


class UnsafeSettings(Exception):
    """The settings a production service refuses to start with, one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        super().__init__(
            f"APP_ENVIRONMENT=production refuses to start, {count} to fix:\n{lines}"
        )


def production_problems(settings: Settings) -> list[str]:
    """Every value production refuses, each as a sentence that names its variable."""
    problems: list[str] = []
    key = settings.secret_key.get_secret_value()
    if "secret_key" not in settings.model_fields_set:
        problems.append(
            "APP_SECRET_KEY is not set: tokens would be signed with a key made for "
            "this process alone. Set it (or mount /run/secrets/app_secret_key) to "
            "the output of: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    elif key.strip() == DEVELOPMENT_SECRET:
        problems.append(
            "APP_SECRET_KEY is the development key printed in this repository: "
            "anyone can sign tokens with it. Generate a new one."
        )
    elif len(set(key)) < MIN_KEY_CHARACTERS:
        problems.append(
            f"APP_SECRET_KEY has fewer than {MIN_KEY_CHARACTERS} different "
            "characters: it can be guessed. Generate a new one."
        )
    if settings.db_echo:
        problems.append(
            "APP_DB_ECHO is on: every SQL statement of every request would be "
            "logged. Turn it off; it is for development."
        )
    if settings.database_url.get_secret_value().startswith("sqlite"):
        problems.append(
            "APP_DATABASE_URL is SQLite: a file that one machine writes at a time. "
            "Use a postgresql+asyncpg:// URL."
        )
    if settings.first_admin_password is not None:
        weak = admin_password_problem(
            settings.first_admin_email or "",
            settings.first_admin_password.get_secret_value(),
        )
        if weak:
            problems.append(f"APP_FIRST_ADMIN_PASSWORD is weak: {weak}.")
    refused = [o for o in settings.cors_origins if not o.startswith("https://")]
    if refused:
        problems.append(
            f"APP_CORS_ORIGINS holds {', '.join(map(repr, refused))}: production "
            "accepts only https:// origins, each named ('*' would let every site in)."
        )
    return problems


def admin_password_problem(email: str, password: str) -> str | None:
    """Why the first administrator's password is weak, without repeating it."""
    if password.lower() in PUBLISHED_PASSWORDS:
        return "it is printed in this repository's examples"
    if len(password) < MIN_ADMIN_PASSWORD:
        return f"it has fewer than {MIN_ADMIN_PASSWORD} characters"
    return password_problem(email=email, password=password)


def names_in_use(
    environ: Iterable[str] | None = None,
    env_file: os.PathLike[str] | str | None = ENV_FILE,
    secrets_dir: os.PathLike[str] | str | None = SECRETS_DIR,
) -> list[str]:
    """The names settings may come from: the environment's, the .env file's, and
    the files in the secrets folder (named in lower case, like app_secret_key)."""
    names = list(os.environ if environ is None else environ)
    if env_file is not None and os.path.isfile(env_file):
        names += dotenv_values(env_file).keys()
    if secrets_dir is not None and os.path.isdir(secrets_dir):
        names += os.listdir(secrets_dir)
    return names


def unknown_names(names: Iterable[str]) -> list[str]:
    """A sentence for each APP_* name that is not a setting, with a guess."""
    known = [ENV_PREFIX + field.upper() for field in Settings.model_fields]
    sentences = []
    for name in sorted({n.upper() for n in names if n.upper().startswith(ENV_PREFIX)}):
        if name not in known:
            guess = get_close_matches(name, known, n=1)
            hint = f" Did you mean {guess[0]}?" if guess else ""
            sentences.append(f"{name} is not a setting, and is ignored.{hint}")
    return sentences


def check_settings(settings: Settings, names: Iterable[str] = ()) -> None:
    """Refuse unsafe production settings (UnsafeSettings); elsewhere, warn in the
    log about `names` that look like settings but are not."""
    unknown = unknown_names(names)
    if settings.environment == "production":
        problems = production_problems(settings) + unknown
        if problems:
            raise UnsafeSettings(problems)
        return
    for sentence in unknown:
        logger.warning(sentence)
