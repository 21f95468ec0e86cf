"""Load: a unit file's bytes → YAML nodes → the typed model, every issue with file:line.

``yamlread`` reads and composes the text (refusing what a unit file never needs),
``loader`` builds :class:`~generator.model.UnitData` from the nodes, ``county``
reads a county's ``_defaults.yaml`` and ``consolidate`` sums a department from its
units' files.
"""

from .county import DEFAULTS_FILE, Defaults, DefaultsError, defaults_for, read_defaults
from .loader import Loaded, load_bytes, load_document, load_file, read_amount
from .yamlread import MAX_FILE_BYTES

__all__ = ["DEFAULTS_FILE", "Defaults", "DefaultsError", "Loaded", "MAX_FILE_BYTES", "defaults_for",
           "load_bytes", "load_document", "load_file", "read_amount", "read_defaults"]
