import subprocess
import sys
from pathlib import Path


def workshop(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workshop", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_help_lists_every_command(root: Path) -> None:
    result = workshop("--help", cwd=root)
    assert result.returncode == 0
    for command in ("build", "verify", "checkpoint", "check", "doctor", "execute"):
        assert command in result.stdout


def test_a_bad_checkpoint_says_what_to_do_and_exits_2(workshop_copy: Path) -> None:
    result = workshop("checkpoint", "42", cwd=workshop_copy)
    assert result.returncode == 2
    assert "There is no notebook 42; choose one of 00, 01" in result.stderr


def test_checkpoint_prints_where_the_backup_is(workshop_copy: Path) -> None:
    (workshop_copy / "app" / "main.py").write_text("mine\n")
    result = workshop("checkpoint", "01", cwd=workshop_copy)
    assert result.returncode == 0, result.stderr
    assert "Your previous versions are saved in .workshop/backups/" in result.stdout


def test_check_exit_status_follows_the_result(workshop_copy: Path) -> None:
    passed = workshop("check", "01", cwd=workshop_copy)
    assert passed.returncode == 0, passed.stdout
    assert passed.stdout.count("Done: every check passes") == 3
    health = workshop_copy / "app" / "routers" / "health.py"
    health.write_text(health.read_text().replace('"version"', '"release"'))
    failed = workshop("check", "01.1", cwd=workshop_copy)
    assert failed.returncode == 1
    assert '✗ the body has a "version" field' in failed.stdout
    assert "Hint (1 of 2): " in failed.stdout
    assert "Stuck? workshop check 01.1 --hint 2 gives a closer hint." in failed.stdout
    closer = workshop("check", "01.1", "--hint", "2", cwd=workshop_copy)
    assert "Hint (2 of 2): " in closer.stdout
    assert "the answer itself is in solutions/01-structure.ipynb." in closer.stdout


def test_verify_fails_on_drift(workshop_copy: Path) -> None:
    assert workshop("verify", cwd=workshop_copy).returncode == 0
    (workshop_copy / "app" / "config.py").write_text("")
    result = workshop("verify", cwd=workshop_copy)
    assert result.returncode == 1
    assert "✗ app/config.py differs" in result.stdout


def test_outside_the_workshop_the_error_is_plain(tmp_path: Path) -> None:
    result = workshop("verify", cwd=tmp_path)
    assert result.returncode == 2
    assert "is not inside the workshop" in result.stderr
