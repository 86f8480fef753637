"""Confinement of a query worker process: it dies with its parent, has a memory limit,
cannot open a network connection and yields the CPU to the web workers.

Linux only (the platform the server runs on); each step that the kernel refuses
is reported, not fatal, except where noted.

- :func:`die_with_parent`: ``prctl(PR_SET_PDEATHSIG, SIGKILL)``, and a thread
  that exits when the parent process is gone, so no worker outlives the web
  process that started it (a killed gunicorn worker left its query workers
  running, 620 MB each).
- :func:`limit_memory`: ``RLIMIT_DATA`` (heap and private mappings; the store's
  files are not counted): past it an allocation fails and the query ends with
  an error, or the worker aborts and is replaced.
- :func:`no_network`: a seccomp filter that makes ``socket(AF_INET/AF_INET6)``
  and ``io_uring_setup`` fail with EACCES. Oxigraph evaluates ``SERVICE`` by
  opening an HTTP connection; in a confined worker that fails, so no spelling
  of SERVICE that a parser might let through can reach another host. No
  library offers this small filter for Python (libseccomp's binding is not on
  PyPI), so it is written out here: ten BPF instructions.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
import resource
import signal
import struct
import threading
import time

PR_SET_PDEATHSIG = 1
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
EACCES = 13
AF_INET, AF_INET6 = 2, 10

#: machine -> (AUDIT_ARCH value, socket syscall number, io_uring_setup syscall number)
_ARCH = {
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}


def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def die_with_parent(parent_pid: int) -> None:
    """End this process when ``parent_pid`` ends (SIGKILL from the kernel, and a watcher)."""
    try:
        _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent_pid:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(1)
            time.sleep(0.5)

    threading.Thread(target=watch, name="sdgraph-parent-watch", daemon=True).start()


def limit_memory(limit_bytes: int) -> None:
    """Cap this process's data (heap and private anonymous mappings) at ``limit_bytes``."""
    if limit_bytes <= 0:
        return
    resource.setrlimit(resource.RLIMIT_DATA, (limit_bytes, limit_bytes))


def _filter(arch: int, socket_nr: int, uring_nr: int) -> bytes:
    ld_w_abs, jeq_k, ret_k = 0x20, 0x15, 0x06

    def ins(code: int, jt: int, jf: int, k: int) -> bytes:
        return struct.pack("HBBI", code, jt, jf, k)

    deny = SECCOMP_RET_ERRNO | EACCES
    return b"".join([
        ins(ld_w_abs, 0, 0, 4),             # 0: A = seccomp_data.arch
        ins(jeq_k, 0, 7, arch),             # 1: another ABI -> 9 (deny)
        ins(ld_w_abs, 0, 0, 0),             # 2: A = seccomp_data.nr
        ins(jeq_k, 5, 0, uring_nr),         # 3: io_uring_setup -> 9 (deny)
        ins(jeq_k, 0, 3, socket_nr),        # 4: not socket -> 8 (allow)
        ins(ld_w_abs, 0, 0, 16),            # 5: A = low word of args[0] (the family)
        ins(jeq_k, 2, 0, AF_INET),          # 6: AF_INET -> 9 (deny)
        ins(jeq_k, 1, 0, AF_INET6),         # 7: AF_INET6 -> 9 (deny)
        ins(ret_k, 0, 0, SECCOMP_RET_ALLOW),  # 8
        ins(ret_k, 0, 0, deny),             # 9
    ])


def no_network() -> bool:
    """Forbid this process (and threads it starts later) to open IPv4/IPv6 sockets.

    Call before the process starts any thread. Returns False where it cannot be
    done (another OS or architecture); the caller decides whether that is fatal.
    """
    arch = _ARCH.get(platform.machine())
    if arch is None or os.name != "posix":
        return False
    program = _filter(*arch)
    count = len(program) // 8

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

    buffer = ctypes.create_string_buffer(program, len(program))
    prog = SockFprog(count, ctypes.cast(buffer, ctypes.c_char_p))
    libc = _libc()
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0


def lower_priority() -> None:
    """Run at the lowest CPU priority, so the web workers' own requests come first."""
    try:
        os.nice(19 - os.nice(0))
    except OSError:
        pass
