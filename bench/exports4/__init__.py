"""Generator 4: held-out Chinese CRM contact exports with ground truth (issue #13).

Written by an outsider to the dedupe engine, from what real exports look like; see
README.md in this folder for the corruption model and its rates.
"""

from bench.exports4.layouts import HEADERS, LAYOUTS, Export, generate, write

__all__ = ["HEADERS", "LAYOUTS", "Export", "generate", "write"]
