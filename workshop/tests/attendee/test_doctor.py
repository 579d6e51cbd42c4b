from pathlib import Path

import pytest

from workshop.attendee import doctor


def test_this_environment_is_pinned_and_healthy(root: Path) -> None:
    results = dict((text.split(" ", 1)[1], ok) for ok, text in doctor.findings(root))
    packages = [text for text in results if "pinned versions" in text]
    assert packages and results[packages[0]], packages


def test_a_wrong_version_says_what_to_run(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = doctor.installed_versions()
    monkeypatch.setattr(
        doctor, "installed_versions", lambda: {**versions, "fastapi": "0.0.1"}
    )
    healthy, text = doctor.report(root)
    assert not healthy
    assert "✗ packages not at the pinned versions: fastapi 0.0.1 (want " in text
    assert "make setup" in text


def test_a_package_the_workshop_only_pulls_in_is_checked_too(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h11 is nobody's direct requirement here: uvicorn and httpcore need it."""
    versions = doctor.installed_versions()
    assert "h11" not in doctor.installed_set(doctor.ATTENDEE)
    monkeypatch.setattr(
        doctor, "installed_versions", lambda: {**versions, "h11": "0.14.0"}
    )
    healthy, text = doctor.report(root)
    assert not healthy
    pinned = doctor.pinned(root)["h11"]
    assert f"h11 0.14.0 (want {pinned})" in text
    assert "requirements not met: " in text and "needs h11" in text


def test_a_missing_package_is_named(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = doctor.installed_versions()
    del versions["jupyterlab"]
    monkeypatch.setattr(doctor, "installed_versions", lambda: versions)
    healthy, text = doctor.report(root)
    assert not healthy
    assert "jupyterlab missing (want " in text


def test_a_busy_port_is_reported(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "_port_free", lambda port: False)
    healthy, text = doctor.report(root)
    assert not healthy
    assert "✗ port 8000 is taken" in text


def test_it_says_which_installer_set_the_packages_up(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = doctor.metadata.distribution(doctor.PROJECT).read_text("INSTALLER")
    assert here is not None and here.strip() in ("uv", "pip")
    texts = [text for _, text in doctor.findings(root)]
    assert any(
        t.endswith(f"pinned versions, installed by {here.strip()}") for t in texts
    )

    class Record:
        def read_text(self, name: str) -> str:
            return "pip\n" if name == "INSTALLER" else ""

    monkeypatch.setattr(doctor.metadata, "distribution", lambda name: Record())
    assert doctor.installer() == "pip"
