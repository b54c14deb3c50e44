"""Settings files of ``tracker update``: a TOML file with the same keys as its flags.

:func:`load_config` reads the keys of :data:`CONFIG_KEYS` (at top level or in an
``[update]`` table) and resolves the paths relative to the file; the command's
flags override what it sets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracker.errors import TrackerError

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib  # type: ignore[no-redef]

#: Keys a ``--config`` TOML file may set (at top level or in an ``[update]`` table).
CONFIG_KEYS = {
    "inbox": "folder of new report files",
    "feeds": "file listing feed URLs or paths, one per line (# comments)",
    "store": "SQLite store file",
    "out": "output folder",
    "frontline_dir": "folder of front-line snapshot GeoJSON files",
    "alert_km": "alert distance in km (default 25)",
    "watch_borders": 'borders to watch, e.g. ["Donetsk/Dnipropetrovsk"]',
    "watch_cities": 'cities to watch: names or {name, latitude, longitude} tables',
    "exports": "also write events.geojson, places.geojson, tracker.gpkg (default false)",
    "feed_timeout": "seconds per feed request (default 20)",
    "wait": "seconds to wait for another running update (default 30)",
    "quiet": "print only warnings and errors",
    "log_file": "append the log to this file",
    "log_json": "log as JSON lines",
}
_PATH_KEYS = ("inbox", "feeds", "store", "out", "frontline_dir", "log_file")


def load_config(path: str | Path) -> dict[str, Any]:
    r"""Read an update settings file (TOML); relative paths are relative to the file.

    Keys (top level or in an ``[update]`` table): see ``CONFIG_KEYS``.

    Raises
    ------
    TrackerError
        Naming the file and the bad key or syntax error, and the valid keys.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "t.toml").write_text('inbox = "in"\nalert_km = 10\n')
    >>> settings = load_config(folder / "t.toml")
    >>> settings["inbox"] == folder / "in", settings["alert_km"]
    (True, 10)
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise TrackerError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TrackerError(f"{path}: not valid TOML: {exc}") from None
    data = data.get("update", data)
    unknown = sorted(set(data) - set(CONFIG_KEYS))
    if unknown:
        raise TrackerError(f"{path}: unknown config key(s) {', '.join(unknown)}; valid keys: "
                           f"{', '.join(CONFIG_KEYS)}")
    settings = dict(data)
    for key in _PATH_KEYS:
        if key in settings:
            settings[key] = (path.parent / Path(settings[key]).expanduser()).resolve()
    return settings
