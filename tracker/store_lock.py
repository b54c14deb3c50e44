r"""Where the store lives, and the lock ``tracker update`` holds on it for a whole run.

Default location (see :func:`default_store_path`): ``$TRACKER_STORE`` if set,
else ``$XDG_DATA_HOME/tracker/tracker.sqlite``, else
``~/.local/share/tracker/tracker.sqlite`` (macOS: ``~/Library/Application
Support/tracker/``; Windows: ``%LOCALAPPDATA%\tracker\``).

:func:`update_lock` is an OS file lock on ``<store>.lock``: coarser than SQLite's
write lock, it keeps two updates of one store from running at once.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tracker.errors import StoreError


def default_store_path() -> Path:
    """Where the store lives unless ``--store`` says otherwise.

    ``$TRACKER_STORE`` if set; else ``$XDG_DATA_HOME/tracker/tracker.sqlite``;
    else the platform's user data folder: ``~/.local/share`` (Linux),
    ``~/Library/Application Support`` (macOS), ``%LOCALAPPDATA%`` (Windows).

    Examples
    --------
    >>> import os
    >>> os.environ["TRACKER_STORE"] = "/tmp/t.sqlite"
    >>> str(default_store_path())
    '/tmp/t.sqlite'
    >>> del os.environ["TRACKER_STORE"]
    """
    if os.environ.get("TRACKER_STORE"):
        return Path(os.environ["TRACKER_STORE"]).expanduser()
    if os.environ.get("XDG_DATA_HOME"):
        base = Path(os.environ["XDG_DATA_HOME"]).expanduser()
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path.home() / ".local" / "share"
    return base / "tracker" / "tracker.sqlite"


@contextlib.contextmanager
def update_lock(store_path: str | Path, *, timeout: float = 30.0) -> Iterator[Path]:
    """Hold an exclusive lock on ``<store>.lock`` for a whole update run.

    The lock is an OS file lock (``flock``), released by the kernel if the process
    dies, so a killed run never leaves a stale lock. A second run waits up to
    ``timeout`` seconds and then raises.

    Raises
    ------
    StoreError
        Naming the store and the pid of the run holding the lock.
    """
    lock_path = Path(f"{store_path}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+")  # noqa: SIM115 - held for the whole block
    try:
        try:
            import fcntl
        except ImportError:  # Windows: BEGIN IMMEDIATE still serialises the writers
            yield lock_path
            return
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise StoreError(
                        f"{store_path} is in use by another tracker update (pid {holder}); "
                        f"waited {timeout:g} s, giving up") from None
                time.sleep(0.05)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield lock_path
    finally:
        handle.close()
