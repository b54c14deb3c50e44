"""Where the bundled data lives, in a source checkout and in an installed wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_path(name: str) -> Path:
    """Return the path of a bundled data file.

    Parameters
    ----------
    name : str
        File name inside the top-level ``data/`` folder (``tracker._data`` once installed).

    Returns
    -------
    Path
        A real filesystem path (the wheel is installed unzipped).

    Examples
    --------
    >>> data_path("admin1.geojson").name
    'admin1.geojson'
    """
    return Path(str(resources.files("tracker._data").joinpath(name)))
