"""Whether a process still runs: how kb tells a leftover of a killed writer from the work of a live one."""

from __future__ import annotations

import os


def process_alive(pid: int) -> bool:
    """True for this process and any that exists (another user's too); False once it has gone."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: it exists
        return True
    return True
