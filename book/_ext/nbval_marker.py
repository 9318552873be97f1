"""Sphinx extension: hide the ``# NBVAL_CHECK_OUTPUT`` marker line in the rendered book.

The marker tells the notebook tests (nbval) to compare a cell's output with its recorded
reference; it means nothing to a reader, so the book shows the cell without that first line.
The notebooks themselves keep it.
"""

from __future__ import annotations

from docutils import nodes

MARKER = "# NBVAL_CHECK_OUTPUT"


def _strip_marker(app, doctree) -> None:
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        if not text.startswith(MARKER):
            continue
        stripped = text[len(MARKER) :].lstrip("\n")
        block.children = [nodes.Text(stripped)]
        block.rawsource = stripped


def setup(app):
    app.connect("doctree-read", _strip_marker)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
