"""The typed messages between the grader and its jobs."""

from __future__ import annotations

import os
import socket
import threading

from workshop.grading.protocol import Job, Kind, Record, Status, job_key, receive, send


def test_one_place_names_jobs() -> None:
    assert job_key(7, 3) == "007-03"


def test_a_record_is_only_believed_with_the_jobs_nonce() -> None:
    line = Record(Kind.RESULT, {"result": {"exercise": "01.1"}}).line("n0nce")
    assert Record.parse(line, "n0nce") == Record(
        Kind.RESULT, {"result": {"exercise": "01.1"}}
    )
    assert Record.parse(line, "other") is None
    assert Record.parse(b'{"result": {"exercise": "01.1"}}', "n0nce") is None
    assert Record.parse(b"[" * 100_000, "n0nce") is None
    assert (
        Record.parse(b'{"nonce": "n0nce", "kind": "nope", "data": {}}', "n0nce") is None
    )


def test_statuses_read_as_sentences() -> None:
    assert Status.TIMED_OUT.text(30) == "timed out after 30 s"
    assert Status.GRADED.text() == "graded"


def test_a_job_and_its_open_files_travel_over_a_socket() -> None:
    job = Job(
        "000-01", 1, ("01.1",), {"app/x.py": "x" * 3_000_000}, (), "/tmp/box", 30, "n"
    )
    mine, theirs = socket.socketpair()
    reading, writing = os.pipe()
    try:
        sender = threading.Thread(
            target=send, args=(mine, {"kind": "job", "job": job.to_json()}, [writing])
        )
        sender.start()
        message, fds = receive(theirs) or ({}, [])
        sender.join()
        assert Job.from_json(message["job"]) == job
        os.write(fds[0], b"through the passed pipe")
        assert os.read(reading, 100) == b"through the passed pipe"
        os.close(fds[0])
        mine.close()
        assert receive(theirs) is None
    finally:
        theirs.close()
        os.close(reading)
        os.close(writing)
