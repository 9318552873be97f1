"""Tests of tests/page_cache.py, which nbval runs before it measures memory."""

from __future__ import annotations

from page_cache import drop_from_cache, main, shared_libraries


def test_it_finds_shared_libraries_only(tmp_path):
    (tmp_path / "pkg").mkdir()
    for name in ["a.so", "pkg/b.cpython-311-x86_64-linux-gnu.so", "pkg/c.so.2", "d.py", "e.txt"]:
        (tmp_path / name).write_bytes(b"x" * 10)
    found = [p.relative_to(tmp_path).as_posix() for p in shared_libraries(tmp_path)]
    assert found == ["a.so", "pkg/b.cpython-311-x86_64-linux-gnu.so", "pkg/c.so.2"]


def test_it_asks_for_every_readable_file_and_skips_missing_ones(tmp_path):
    library = tmp_path / "a.so"
    library.write_bytes(b"x" * 4096)
    assert drop_from_cache([library, tmp_path / "missing.so"]) == 1
    assert library.read_bytes() == b"x" * 4096  # the file itself is untouched


def test_the_command_needs_one_directory(tmp_path, capsys):
    assert main([]) == 2
    assert main([str(tmp_path / "missing")]) == 2
    assert "usage" in capsys.readouterr().err
    (tmp_path / "a.so").write_bytes(b"x")
    assert main([str(tmp_path)]) == 0
    assert "1 of 1 shared libraries" in capsys.readouterr().out
