"""Inventory validation: SHACL shapes, readable reports, a gate before loading.

``validate(inventory)`` checks an inventory (parsed by :func:`read`) against
the bundled shapes and returns a :class:`Report` (text, JSON, HTML, Turtle;
Dutch or English). See docs/validation.md.
"""

from .engine import DEFAULT_ENGINE, ENGINES, shape_paths, shapes_graph, validate
from .inputs import Inventory, read, read_files
from .report import Report, Result

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "Inventory",
    "Report",
    "Result",
    "read",
    "read_files",
    "shape_paths",
    "shapes_graph",
    "validate",
]
