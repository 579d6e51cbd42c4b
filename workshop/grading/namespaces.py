"""Linux only: namespaces of its own for one grading job, then no privileges at all.

The grading zygote already runs inside bubblewrap (read-only root, no network,
no capabilities, an unprivileged user). Each job it forks goes one level deeper,
so that jobs cannot reach each other either:

- `unshare_job()`, in the forked keeper: a new user namespace (mapping only
  the current user), with new mount, PID, IPC, network and UTS namespaces;
- `private_mounts()`, in the job's first process (PID 1 of its namespace): a
  fresh /proc that shows only the job's processes, a size-limited tmpfs on
  /tmp that holds the job's files, its HOME and its TMPDIR, a small /dev/shm
  of its own, and /dev read-only (bubblewrap's /dev is one tmpfs, shared by
  every job of a batch and as large as half the memory);
- `loopback_up()`, there too: the job's network namespace has one interface, a
  loopback that starts down; up, it lets the job talk to itself on 127.0.0.1
  (lesson 09's check serves /health there and runs the image's HEALTHCHECK
  against it) and still reach nothing outside;
- `drop_privileges()`: no capabilities left (effective, permitted, inheritable,
  ambient or bounding), no way to gain any (`no_new_privs`).

Mounts inherited from bubblewrap are locked by the kernel: a job can neither
remount them read-write nor unmount what covers them, even in a user namespace
of its own. The standard library has no `unshare` or `mount` before Python 3.12,
so these are ctypes calls into the C library.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import signal
import socket
import struct
import sys
from collections.abc import Sequence

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND = 2, 4, 8, 1 << 12
MS_REC, MS_PRIVATE = 1 << 14, 1 << 18
MS_RDONLY, MS_REMOUNT = 1, 32
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 24, 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
CAPABILITY_VERSION_3 = 0x20080522
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
IFREQ = "16sH22x"  # struct ifreq: the interface's name, then its flags
CAPABILITY_FIELDS = ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_uint32) for name in ("effective", "permitted", "inheritable")
    ]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"{what}: {os.strerror(number)}")


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as file:
        file.write(text)


def die_with_parent() -> None:
    """SIGKILL this process when the process that forked it ends."""
    _check(_libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl")


def first_to_go() -> None:
    """Should the machine run out of memory, the kernel kills this process (and
    what it starts) before anything else: a job, never the grader."""
    with contextlib.suppress(OSError):
        _write("/proc/self/oom_score_adj", "1000")


def unshare_job() -> None:
    """New user, mount, PID, IPC, network and UTS namespaces for this process
    (which must have one thread); its next child is PID 1 of the new PID space."""
    uid, gid = os.getuid(), os.getgid()
    flags = (
        CLONE_NEWUSER
        | CLONE_NEWNS
        | CLONE_NEWPID
        | CLONE_NEWIPC
        | CLONE_NEWNET
        | CLONE_NEWUTS
    )
    _check(_libc().unshare(flags), "unshare")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{uid} {uid} 1\n")
    _write("/proc/self/gid_map", f"{gid} {gid} 1\n")


def _mount(
    source: str | None, target: str, kind: str | None, flags: int, data: str = ""
) -> None:
    def raw(text: str | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    result = _libc().mount(
        raw(source), raw(target), raw(kind), flags, raw(data or None)
    )
    _check(result, f"mount {target}")


def bind_on_private_tmp(folders: list[str]) -> None:
    """For a grader running as root, before it becomes `nobody` and starts bwrap:
    in a mount namespace of this process only, `folders` that nobody may not
    reach are bound on /tmp/0, /tmp/1... where it can."""
    _check(_libc().unshare(CLONE_NEWNS), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    handles = [os.open(folder, os.O_PATH | os.O_DIRECTORY) for folder in folders]
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    for number, handle in enumerate(handles):
        os.mkdir(f"/tmp/{number}")
        _mount(f"/proc/self/fd/{handle}", f"/tmp/{number}", None, MS_BIND | MS_REC)
        os.close(handle)


SHM_BYTES = 16 * 2**20  # the job's /dev/shm


def private_mounts(tmp_bytes: int, keep: Sequence[str] = ()) -> None:
    """In PID 1 of the job's namespace: its own /proc, its own /dev/shm, /dev
    read-only, and a fresh /tmp. The folders of `keep` under /tmp (the grading
    Python's, when it lives there) are bound again, read-only, on the new /tmp."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    if os.path.isdir("/dev/shm"):
        flags = MS_NOSUID | MS_NODEV | MS_NOEXEC
        _mount("tmpfs", "/dev/shm", "tmpfs", flags, f"size={SHM_BYTES},mode=1777")
    _mount(None, "/dev", None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    kept = [f for f in keep if f.startswith("/tmp/")]
    handles = {f: os.open(f, os.O_PATH | os.O_DIRECTORY) for f in kept}
    _mount(
        "tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_bytes},mode=0700"
    )
    for folder, handle in handles.items():
        os.makedirs(folder, exist_ok=True)
        _mount(f"/proc/self/fd/{handle}", folder, None, MS_BIND | MS_REC)
        flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV
        _mount(None, folder, None, flags)  # keeping the flags bwrap locked
        os.close(handle)
    # No user namespaces below this one: nothing to gain from them, and each
    # would be a new place to mount a tmpfs that no limit covers.
    _write("/proc/sys/user/max_user_namespaces", "0")


def loopback_up() -> None:
    """Bring up the loopback of this process's network namespace (which must be
    the job's own: it needs CAP_NET_ADMIN there, so before drop_privileges)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as handle:
        asked = fcntl.ioctl(handle, SIOCGIFFLAGS, struct.pack(IFREQ, b"lo", 0))
        flags = struct.unpack(IFREQ, asked)[1]
        fcntl.ioctl(handle, SIOCSIFFLAGS, struct.pack(IFREQ, b"lo", flags | IFF_UP))


def capabilities() -> dict[str, int]:
    """This process's capability sets, from /proc/self/status."""
    with open("/proc/self/status", encoding="ascii") as status:
        fields = dict(line.split(":\t", 1) for line in status.read().splitlines())
    return {name: int(fields[name], 16) for name in CAPABILITY_FIELDS if name in fields}


def drop_privileges() -> None:
    """Give up every capability for good, and check that none is left."""
    libc = _libc()
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(no_new_privs)")
    with open("/proc/sys/kernel/cap_last_cap", encoding="ascii") as last:
        for capability in range(int(last.read()) + 1):
            _check(libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0), "prctl(capbset)")
    _check(
        libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "prctl(ambient)"
    )
    nothing = (_Data * 2)()
    _check(
        libc.capset(ctypes.byref(_Header(CAPABILITY_VERSION_3, 0)), nothing), "capset"
    )
    left = {name: value for name, value in capabilities().items() if value}
    if left:
        raise OSError(f"capabilities left after dropping them: {left}")


def probe() -> str:
    """What `workshop doctor` and the grader run inside bubblewrap: one job's
    namespaces, set up and checked. Returns "ok", or what failed."""
    try:
        unshare_job()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                private_mounts(2**20)
                loopback_up()
                drop_privileges()
                alone = [p for p in os.listdir("/proc") if p.isdigit()] == ["1"]
                code = 0 if alone and os.getpid() == 1 else 3
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
    except OSError as error:
        return str(error)
    return (
        "ok" if os.waitstatus_to_exitcode(status) == 0 else "a job's namespaces failed"
    )


if __name__ == "__main__":
    print(probe())  # run by `python -m workshop.grading.namespaces` in bwrap
    sys.exit(0)
