"""Named points between the steps of an ingest, where tests stop it on purpose.

An ingest must leave the knowledge base as it was, or as a complete run leaves it, wherever it stops. The tests
prove it by stopping a real ``kb ingest`` at its N-th checkpoint, with the environment variable
``KB_INGEST_STOP=N:how`` (how: ``int`` sends SIGINT to the process group, as Ctrl-C does; ``kill`` sends
SIGKILL; ``full`` raises the error of a full disk). ``KB_INGEST_CHECKPOINTS=<file>`` appends each checkpoint's
name to a file, to learn how many there are. Without them a checkpoint costs one dictionary lookup.
"""

from __future__ import annotations

import errno
import os
import signal

_STOP = "KB_INGEST_STOP"
_LOG = "KB_INGEST_CHECKPOINTS"
_passed = 0


def checkpoint(name: str) -> None:
    """One more step of the ingest is done (``name`` says which)."""
    global _passed
    if _STOP not in os.environ and _LOG not in os.environ:
        return
    _passed += 1
    log = os.environ.get(_LOG)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{_passed} {name}\n")
    at, _, how = os.environ.get(_STOP, "").partition(":")
    if not at or int(at) != _passed:
        return
    if how == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif how == "full":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    elif os.getpgid(0) == os.getpid():  # the leader of its own group, as a shell's foreground job is
        os.killpg(0, signal.SIGINT)
    else:
        os.kill(os.getpid(), signal.SIGINT)
