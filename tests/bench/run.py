"""Run the benchmarks: `python -m tests.bench.run [--small] [names...]`.

Imports tests/bench/bench_*.py (or the named ones: `duedate` or `bench_duedate`) and calls main(small)
on each; every module prints its own table.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback
from pathlib import Path

from tests.bench.common import Stopwatch, setup_django

BENCH_DIR = Path(__file__).resolve().parent


def discover(names: list[str] | None = None) -> list[str]:
    """Module names (tests.bench.bench_x) of every benchmark, or of the requested ones."""
    found = sorted(m.name for m in pkgutil.iter_modules([str(BENCH_DIR)]) if m.name.startswith("bench_"))
    if not names:
        return [f"tests.bench.{m}" for m in found]
    wanted = [n if n.startswith("bench_") else f"bench_{n}" for n in names]
    unknown = [n for n in wanted if n not in found]
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(found)}")
    return [f"tests.bench.{m}" for m in wanted]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="tiny inputs, finishes in seconds")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    args = parser.parse_args(argv)
    setup_django()
    failed = []
    for name in discover(args.names):
        print(f"\n#### {name} ({'small' if args.small else 'full'})", flush=True)
        try:
            with Stopwatch() as sw:
                rows = importlib.import_module(name).main(small=args.small)
            print(f"-- {name}: {len(rows)} rows in {sw.seconds:.1f} s", flush=True)
        except Exception:
            traceback.print_exc()
            failed.append(name)
    if failed:
        print(f"\nFAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
