"""The second core, for one-shot bulk work (import, rebuild): a forked child.

Threads don't help CPU-bound Python, and a process pool costs its start-up and
its imports. A fork shares everything already loaded. It is only safe in a
process with no other thread (a thread holding a lock at fork time would leave
the child's copy held forever), so a web server never forks here: there the
work runs in one process, as below ``minimum`` items.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def can_fork(count: int, minimum: int) -> bool:
    """Split ``count`` items between two processes: enough of them, two cores, and
    no thread that a fork would strand."""
    return (count >= minimum and (os.cpu_count() or 1) > 1 and hasattr(os, "fork")
            and threading.active_count() == 1)


def die_with_parent(parent: int) -> None:
    """A killed command must not leave its child working (Linux; elsewhere a no-op)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def run_in_two(here: Callable[[], R], there: Callable[[], object]) -> tuple[R, object]:
    """``(here(), there())``, ``there`` run by a forked child meanwhile (the caller
    checks ``can_fork`` first). The child's result comes back pickled through a pipe."""
    parent = os.getpid()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        code = 1
        try:
            os.close(read_end)
            die_with_parent(parent)
            data = pickle.dumps(there(), pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:  # blocks until the parent reads
                pipe.write(data)
            code = 0
        except BaseException:
            traceback.print_exc()  # the parent only sees the exit status
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        mine = here()
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise RuntimeError("the second process failed")
    return mine, pickle.loads(data)  # noqa: S301 - written by our own child


def map_in_two(func: Callable[[T], R], items: Sequence[T], minimum: int) -> list[R]:
    """``[func(x) for x in items]``, the second half computed by a forked child when
    ``can_fork``, and returned in order."""
    if not can_fork(len(items), minimum):
        return [func(x) for x in items]
    half = len(items) // 2
    first, second = run_in_two(lambda: [func(x) for x in items[:half]],
                               lambda: [func(x) for x in items[half:]])
    return first + second
