"""`workshop board` on the command line: where it listens, what it prints."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from workshop import cli
from workshop.project import WorkshopError
from workshop.room import serve
from workshop.room.settings import BoardSettings


def test_everywhere_means_this_machine_s_address_on_the_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(serve, "network_address", lambda: "192.168.1.20")
    assert serve.public_url(BoardSettings(host="0.0.0.0")) == "http://192.168.1.20:8765"
    assert serve.public_url(BoardSettings(host="::1", port=9000)) == "http://[::1]:9000"
    chosen = BoardSettings(public_url="https://board.example.org/")
    assert serve.public_url(chosen) == "https://board.example.org"
    monkeypatch.setattr(serve, "network_address", lambda: None)  # no network at all
    assert serve.public_url(BoardSettings(host="0.0.0.0")) == "http://127.0.0.1:8765"


def test_the_banner_says_how_to_join_and_warns_when_only_this_machine_can() -> None:
    url, code = "http://10.0.0.5:8765", "K7M2QX"
    local = serve.banner(BoardSettings(), url, code)
    assert f"{url}/?code={code}" in local
    assert f'join("{url}", "{code}", "their name")' in local
    assert f'workshop join {url} {code} "their name"' in local
    assert f"{url}/export.csv?code=" in local
    assert "Only this machine can reach it" in local
    room = serve.banner(BoardSettings(host="0.0.0.0"), url, code)
    assert "Only this machine" not in room


def test_a_port_in_use_is_said_before_anything_else(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(WorkshopError, match=f"cannot listen on 127.0.0.1:{port}"):
            serve.listen("127.0.0.1", port)
        assert cli.main(["board", "--port", str(port)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "choose another --port" in err


def test_flags_become_settings(
    monkeypatch: pytest.MonkeyPatch, root: Path, tmp_path: Path
) -> None:
    chosen: list[tuple[BoardSettings, frozenset[int] | None]] = []

    def record(settings: BoardSettings, *, course: frozenset[int] | None) -> None:
        chosen.append((settings, course))

    monkeypatch.setattr(serve, "serve", record)
    monkeypatch.setenv("WORKSHOP_BOARD_MAX_ATTENDEES", "60")
    flags = ["board", "--host", "0.0.0.0", "--port", "9001", "--code", "abcd23"]
    assert cli.main([*flags, "--stuck-after", "7", "--course", "02-03"]) == 0
    ((settings, course),) = chosen
    assert course == frozenset({2, 3})
    assert (settings.host, settings.port, settings.code) == ("0.0.0.0", 9001, "abcd23")
    assert settings.stuck_after_seconds == 7 * 60 and settings.max_attendees == 60
    assert settings.database == root / ".workshop" / "board.sqlite3"
    assert cli.main(["board", "--code", "no spaces allowed"]) == 2
