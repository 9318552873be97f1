"""Drop the installed libraries' pages from the page cache before nbval measures memory.

A kernel's peak resident memory (VmHWM) counts the pages of the shared libraries it maps, and how
many of those a page fault maps at once depends on how the file got into the page cache. Right
after an installation the files just written are still cached as they were written, and on the
test machine's Linux (6.18) a kernel then maps about 0.12 GB more of TensorFlow's libraries than
after they have been read back from disk: chapter 2 peaked at 1,006 MB in a fresh clone and at
868 MB in the same clone once its libraries had been dropped from the cache (its own memory the
same). A learner's machine, or a Binder server that pulled the image a while ago, reads them back
from disk. ``make nbval`` calls this first, so that its figures do not depend on how recently the
environment was installed. The kernel's own (anonymous) memory, which nothing reclaims, is not
affected, and ``NB_ANON_MB`` bounds it separately.

    python tests/page_cache.py .venv      # drop the cached pages of every *.so under .venv

Only clean pages that no running process maps are dropped (``posix_fadvise(POSIX_FADV_DONTNEED)``
after a ``sync``); nothing needs root, and nothing is dropped where the call is not supported.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def shared_libraries(root: Path) -> list[Path]:
    """Every shared library (``*.so``, ``*.so.N``) under ``root``."""
    return sorted(p for p in root.rglob("*.so*") if p.is_file() and ".so" in p.name)


def drop_from_cache(paths: list[Path]) -> int:
    """Ask the system to drop the cached pages of ``paths``; returns how many files it was asked."""
    if not hasattr(os, "posix_fadvise"):
        return 0
    os.sync()  # dirty pages cannot be dropped: write them first
    asked = 0
    for path in paths:
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
            asked += 1
        except OSError:
            pass
        finally:
            os.close(descriptor)
    return asked


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python tests/page_cache.py DIRECTORY", file=sys.stderr)
        return 2
    libraries = shared_libraries(Path(argv[0]))
    size = sum(p.stat().st_size for p in libraries) / 2**20
    asked = drop_from_cache(libraries)
    print(
        f"page cache: asked to drop {asked} of {len(libraries)} shared libraries"
        f" ({size:,.0f} MB) under {argv[0]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
