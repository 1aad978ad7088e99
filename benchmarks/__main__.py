"""`make bench` / `python -m benchmarks [units|registry] [--children N]`.

Each benchmark runs on TREEM_BENCH_DATABASE_URL (default: a fresh SQLite file under var/).
A PostgreSQL database named there is DROPPED and created anew (the role needs CREATEDB), so
the figures never depend on what a demo left behind: never point it at real data.
"""

import argparse
import sys


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("which", nargs="?", choices=["units", "registry"], default="units")
    parser.add_argument("--children", type=int, default=1_000_000)
    args = parser.parse_args()
    if args.which == "units":
        from benchmarks import units

        return units.main()
    from benchmarks import registry

    return registry.main(children=args.children)


if __name__ == "__main__":
    sys.exit(main())
