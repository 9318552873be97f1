"""Sphinx extension: write the book's repository address into its code blocks.

The address is one value, ``repository.url`` in ``_config.yml`` (Jupyter Book passes it on as the
theme option ``repository_url``). A code block in a page writes ``<repository-url>`` and
``<repository-folder>`` where a reader's command needs the address and the folder ``git clone``
creates; this extension replaces both, so a fork that changes the URL needs no other edit.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.errors import ExtensionError

URL_TOKEN = "<repository-url>"
FOLDER_TOKEN = "<repository-folder>"


def _fill(app, doctree) -> None:
    url = (app.config.html_theme_options or {}).get("repository_url", "").rstrip("/")
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        if URL_TOKEN not in text and FOLDER_TOKEN not in text:
            continue
        if not url:
            raise ExtensionError(f"{URL_TOKEN} in a code block, but no repository.url is set")
        folder = url.rsplit("/", 1)[-1].removesuffix(".git")
        filled = text.replace(URL_TOKEN, url).replace(FOLDER_TOKEN, folder)
        block.children = [nodes.Text(filled)]
        block.rawsource = filled


def setup(app):
    app.connect("doctree-read", _fill)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
