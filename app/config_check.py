"""What the service refuses to start with, checked once, with one line per problem.

`load_settings` reads the settings and refuses (`UnsafeSettings`) values that are
not valid anywhere; `check_settings` adds, in production, the values that are
unsafe there. Every problem is listed at once, each naming the variable to change
and never printing a secret. Elsewhere, misspelled names are log warnings.
Gunicorn's master can call it before any worker boots.
"""

import logging
import os
from collections.abc import Iterable
from difflib import get_close_matches
from functools import lru_cache
from typing import Any

from dotenv import dotenv_values
from pydantic import ValidationError

from app.config import DEVELOPMENT_SECRET, ENV_FILE, ENV_PREFIX, SECRETS_DIR, Settings
from app.schemas.users import password_problem

logger = logging.getLogger("app.config")

MIN_ADMIN_PASSWORD = 15  # the same rule as every other account's (app/schemas)
# A generated key has dozens of different characters; "aaaa..." has one.
MIN_KEY_CHARACTERS = 8
# Passwords printed in this repository's examples and tests: public.
PUBLISHED_PASSWORDS = {"correct horse battery staple", "a secret for the tests"}


class UnsafeSettings(Exception):
    """The settings the service refuses to start with, one per line."""

    def __init__(
        self, problems: list[str], who: str = "APP_ENVIRONMENT=production"
    ) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        super().__init__(f"{who} refuses to start, {count} to fix:\n{lines}")


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
    if any(network.prefixlen == 0 for network in settings.trusted_proxies):
        problems.append(
            "APP_TRUSTED_PROXIES trusts every address (0.0.0.0/0 or ::/0): any "
            "client could choose its address in X-Forwarded-For. List your proxies."
        )
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


def invalid_values(error: ValidationError) -> list[str]:
    """A sentence per value pydantic refused, naming its variable (and the
    position in a list), never the value: it may be a secret."""
    sentences = []
    for found in error.errors():
        field, *where = found["loc"] or ("",)
        what = f"{ENV_PREFIX}{str(field).upper()}" if field else "The settings"
        if where:
            what += f" item {int(where[0]) + 1}"
        reason = found["msg"].removeprefix("Value error, ")
        if found["type"] == "too_short":  # says "items" for a SecretStr's characters
            reason = f"shorter than {found['ctx']['min_length']} characters"
        sentences.append(f"{what}: {reason}")
    return sentences


def load_settings(**sources: Any) -> Settings:
    """Settings(**sources), checked. When a value is not valid, the others are
    checked too, each refused one at its default, so one start lists it all."""
    env_file = sources.get("_env_file", Settings.model_config.get("env_file"))
    names = names_in_use(env_file=env_file)
    try:
        settings = Settings(**sources)
    except ValidationError as error:
        problems = invalid_values(error)
        refused = {str(found["loc"][0]) for found in error.errors() if found["loc"]}
        defaults = {
            name: field.get_default(call_default_factory=True)
            for name, field in Settings.model_fields.items()
            if name in refused
        }
        try:
            check_settings(Settings(**{**sources, **defaults}), names=names)
        except UnsafeSettings as unsafe:
            problems += unsafe.problems
        except ValidationError:
            pass  # a rule across fields: its sentence is already in the list
        raise UnsafeSettings(problems, who="The service") from None
    check_settings(settings, names=names)
    return settings


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


@lru_cache
def get_settings() -> Settings:
    """One Settings per process: the environment is read once, at start-up, and
    checked: an invalid value, or an unsafe one in production, stops the service
    here, with every problem listed."""
    return load_settings()
