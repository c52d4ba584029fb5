"""Load a module of the repository's bench/ folder (outside the package) for its tests."""

import importlib
import sys
from pathlib import Path

import pytest

import lotse

ROOT = Path(lotse.__file__).resolve().parents[2]


def bench_module(name: str):
    """`bench.<name>`, imported from the checkout; skipped where bench/ is not there (an
    installed package rather than a checkout of the repository)."""
    if not (ROOT / "bench" / f"{name}.py").exists():
        pytest.skip(f"bench/{name}.py is not there (not a checkout of the repository)")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module(f"bench.{name}")
