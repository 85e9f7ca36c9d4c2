"""Where a run may reach: the sandbox every source runs in, and what the build does without one.

With Debian's bubblewrap (`bwrap`) the fork server runs in a sandbox of its own: the whole file
system read-only (the project, its `site/` and `.venv` included), a private `/tmp`, no network,
its own PID namespace, so that nothing it starts outlives it. Inside it, each run gets more:

- a PID namespace of its own, whose first process (made by sitegen.keeper) ends, and with it
  every process the run started, in any session or process group, as soon as the source's
  process ends;
- a mount namespace in which the run's folder is replaced by a small tmpfs (its scratch folder,
  its `/tmp` and `/dev/shm`, limited in bytes and files, so a write past the limit fails at once)
  and `/proc` shows the run's own processes only, its kernel settings read-only;
- a user namespace of its own for the source's process, so it holds no privilege over any of that.

Where bwrap is missing or namespaces are forbidden (some CI runners), the build says so in one
line and falls back to detection (sitegen.detection): the project tree and `site/` are
fingerprinted before and after the runs and any change fails the build naming the file, and each
run's keeper is a subreaper that finds and kills whatever the run left behind
(`end_every_descendant`).

Only the standard library: this module is imported by the fork server and every run.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER = 1, 4, 36
# kernel settings and devices a run's /proc must not let it change (as Docker masks them)
PROC_READ_ONLY = ("sys", "sysrq-trigger", "irq", "bus", "fs")

_libc = ctypes.CDLL(None, use_errno=True)


class SandboxError(OSError):
    """A namespace or mount the sandbox needs could not be made."""


def _call(name: str, *args) -> None:
    if getattr(_libc, name)(*args) != 0:
        error = ctypes.get_errno()
        raise SandboxError(error, f"{name}: {os.strerror(error)}")


def _bytes(value) -> bytes | None:
    return None if value is None else os.fsencode(value)


def mount(source, target, kind=None, flags: int = 0, data: str | None = None) -> None:
    _call("mount", _bytes(source), _bytes(target), _bytes(kind), flags, _bytes(data))


def unshare(flags: int) -> None:
    _call("unshare", flags)


def die_with_parent(signum: int = signal.SIGKILL) -> None:
    """Get `signum` when the parent process ends (checked once more against a race)."""
    parent = os.getppid()
    _call("prctl", PR_SET_PDEATHSIG, signum, 0, 0, 0)
    if os.getppid() != parent:
        os.kill(os.getpid(), signum)


def become_subreaper() -> None:
    """Orphaned descendants become this process's children instead of init's."""
    _call("prctl", PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


# -- the fork server's sandbox --------------------------------------------------------------------
def bwrap_command(bwrap: str, runs: Path) -> list[str] | None:
    """The bubblewrap command line the fork server runs under, or None where there is no bwrap.

    `runs` (where each run's folder is made) is the one place it may write to on the host."""
    program = shutil.which(bwrap)
    if program is None:
        return None
    command = [
        program,
        "--die-with-parent",
        "--new-session",
        "--unshare-user",
        "--cap-add", "ALL",  # in its user namespace only: what a run's namespaces need
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--ro-bind", "/", "/",
        "--dev", "/dev",
    ]  # fmt: skip
    for device in _gpu_devices():  # what CUDA needs, on a machine that has it
        command += ["--dev-bind", device, device]
    command += [
        "--proc", "/proc",
        "--tmpfs", "/dev/shm",
        "--tmpfs", "/run",  # no sockets of the host's services
        "--bind", str(runs), str(runs),
    ]  # fmt: skip
    return command


def _gpu_devices() -> list[str]:
    found = []
    for pattern in ("nvidia*", "dri"):
        found += sorted(str(p) for p in Path("/dev").glob(pattern))
    return found


def bwrap_fails(command: list[str]) -> str | None:
    """Why the sandbox cannot start here (bwrap's own words), or None when it can."""
    try:
        run = subprocess.run(
            [*command, "true"], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    if run.returncode != 0:
        lines = (run.stderr or run.stdout).strip().splitlines()
        return lines[-1] if lines else f"exit status {run.returncode}"
    return None


# -- one run's namespaces (inside the server's sandbox) -------------------------------------------
def own_user_namespace(extra: int = 0) -> None:
    """Move into a new user namespace (and whatever else `extra` names), as the same user."""
    uid, gid = os.getuid(), os.getgid()
    unshare(CLONE_NEWUSER | extra)
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
    Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")


def enter_run_namespace() -> None:
    """The keeper's step: the next process it forks is the first of a new PID namespace. The
    keeper and that first process hold the sandbox's capabilities: no process of the run may
    trace them (a process is traceable by its own user unless it is not "dumpable")."""
    _call("prctl", PR_SET_DUMPABLE, 0, 0, 0, 0)
    unshare(CLONE_NEWPID)


def private_mounts(folder: Path, disk_bytes: int, files: int, keep: list[Path]) -> None:
    """The first process of a run: a mount namespace where `folder` (the run's private folder on
    the host) is a small tmpfs holding the scratch folder and the run's own /tmp and /dev/shm,
    and /proc shows this PID namespace. The folders in `keep` (the project, the Python and the
    packages it runs) stay visible, read-only, even when they live under /tmp (a test's project,
    a clone made there)."""
    unshare(CLONE_NEWNS)
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    kept = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in keep if path.is_dir()}
    # a few inodes more than the author's limit: the folders made here are the build's
    size = f"size={disk_bytes},nr_inodes={files + 16 + sum(len(p.parts) for p in kept)}"
    mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, size)
    for name, mode in (("work", 0o755), ("tmp", 0o1777), ("shm", 0o1777)):
        (folder / name).mkdir()
        os.chmod(folder / name, mode)
    for name, target in (("shm", "/dev/shm"), ("tmp", "/tmp")):
        if not _under(folder, Path(target)):  # (the runs are kept out of /tmp: runs_folder)
            mount(folder / name, target, None, MS_BIND)
    for path in sorted(kept, key=lambda p: len(p.parts)):  # a folder before those inside it
        if not path.is_dir():  # hidden by the run's /tmp: put it back, read-only
            path.mkdir(parents=True)
            mount(f"/proc/self/fd/{kept[path]}", path, None, MS_BIND | MS_REC)
            mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC)
    for fd in kept.values():
        os.close(fd)
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for name in PROC_READ_ONLY:
        path = Path("/proc") / name
        if path.exists():
            mount(path, path, None, MS_BIND | MS_REC)
            mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC)


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def runs_folder() -> Path:
    """A new folder for the runs of one server: the one place the sandbox may write to on the
    host. Out of /tmp where it can be, as each run gets a /tmp of its own."""
    place = Path("/var/tmp")
    if not (place.is_dir() and os.access(place, os.W_OK)):
        place = None
    return Path(tempfile.mkdtemp(prefix="sitegen-runs-", dir=place))


def drop_privileges() -> None:
    """The source's own process: a user namespace of its own, in which it holds no capability
    over the mounts above (a new namespace's user has none over its parent's), and an ordinary
    process again (traceable by its own descendants, as any)."""
    own_user_namespace()
    _call("prctl", PR_SET_DUMPABLE, 1, 0, 0, 0)


def probe(folder: Path) -> str | None:
    """Try every step a run takes, in `folder`; why one fails here, or None when all work."""
    read, write = os.pipe()

    def step(action) -> None:  # in a child: do it, or say why not, and exit
        try:
            action()
        except BaseException as error:  # noqa: BLE001 - reported, not raised
            os.write(write, str(error).encode())
            os._exit(1)

    def wait(pid: int) -> int:
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])

    def init() -> None:
        private_mounts(folder, 1 << 20, 16, [Path("/tmp")])
        source = os.fork()
        if source == 0:
            step(drop_privileges)
            os._exit(0)
        if wait(source):
            raise SandboxError(0, "")

    pid = os.fork()
    if pid == 0:
        step(enter_run_namespace)
        first = os.fork()
        if first == 0:
            step(init)
            os._exit(0)
        os._exit(wait(first))
    os.close(write)
    status = wait(pid)
    chunks = []
    while chunk := os.read(read, 4096):
        chunks.append(chunk)
    os.close(read)
    message = b"".join(chunks).decode(errors="replace").strip()
    if status and not message:
        message = f"a run's first process ended with status {status}"
    return message or None


# -- processes ------------------------------------------------------------------------------------
def children(pid: int) -> list[int]:
    """The live children of a process (of each of its threads)."""
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        with contextlib.suppress(OSError):
            found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    return found


def descendants(pid: int) -> list[int]:
    """Every process below `pid`, parents before their children."""
    found, queue = [], [pid]
    while queue:
        for child in children(queue.pop()):
            found.append(child)
            queue.append(child)
    return found


def state(pid: int) -> str | None:
    """The process's state letter (R, S, T for stopped, Z...), None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def end_every_descendant(on_reaped=None) -> None:
    """Kill every process below this one and reap them, until none is left. This process is a
    subreaper, so whatever a killed process had started comes here too: a double fork, `setsid`
    or a new session does not escape. `on_reaped(pid, status)` is told of each child reaped."""
    for attempt in range(10_000):
        found = descendants(os.getpid())
        for pid in found:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        reap(on_reaped)
        if not found:
            return
        if attempt:
            time.sleep(0.001)  # killed ones in an uninterruptible sleep take a moment


def reap(on_reaped=None) -> None:
    """Collect every child that has ended (without waiting for the others)."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if on_reaped:
            on_reaped(pid, status)
