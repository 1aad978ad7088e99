"""`make bench` / `python -m benchmarks [units|registry|import|dedup|cases|indicators|plans|
child_friendly|fund|offline|national]
[--children N] [--rows N] [--per-thousand X] [--tasks N] [--template DB] [--provinces N]
[--jobs N]`.

Each benchmark runs on TREEM_BENCH_DATABASE_URL (default: a fresh SQLite file under var/).
A PostgreSQL database named there is DROPPED and created anew (the role needs CREATEDB), so
the figures never depend on what a demo left behind: never point it at real data.
"""

import argparse
import sys


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("which", nargs="?",
                        choices=["units", "registry", "import", "dedup", "cases", "indicators",
                                 "plans", "child_friendly", "fund", "offline", "national"],
                        default="units")
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--per-thousand", type=float, default=2.0,
                        help="cases: cases a year per 1,000 children")
    parser.add_argument("--tasks", type=int, default=200, help="plans: tasks of the plan")
    parser.add_argument("--plan-children", type=int, default=0,
                        help="plans: generate the province's register of N children first")
    parser.add_argument("--activity-years", type=int, default=1,
                        help="plans: commune-years of activities in every commune")
    parser.add_argument("--provinces", type=int, default=5,
                        help="national: the first N provinces of the nation's list, each of "
                             "--children children")
    parser.add_argument("--jobs", type=int, default=None,
                        help="national: provinces generated at a time (default: the cores)")
    parser.add_argument("--reuse", action="store_true",
                        help="registry: time the reads again on the last generated database; "
                             "cases: generate the cases again on its register")
    parser.add_argument("--template", default="",
                        help="fund: copy this PostgreSQL database (with the province's "
                             "register) instead of generating the register")
    args = parser.parse_args()
    if args.which == "units":
        from benchmarks import units

        return units.main()
    if args.which == "dedup":
        from benchmarks import dedup

        return dedup.main(children=args.children, reuse=args.reuse)
    if args.which == "cases":
        from benchmarks import cases

        return cases.main(children=args.children, per_thousand=args.per_thousand,
                          reuse=args.reuse)
    if args.which == "indicators":
        from benchmarks import indicators

        return indicators.main(children=args.children, reuse=args.reuse)
    if args.which == "plans":
        from benchmarks import plans

        return plans.main(tasks=args.tasks, children=args.plan_children,
                          activity_years=args.activity_years)
    if args.which == "offline":
        from benchmarks import offline

        return offline.main(children=args.children if args.children != 1_000_000 else 200_000,
                            reuse=args.reuse)
    if args.which == "national":
        from benchmarks import national

        return national.main(provinces=args.provinces, children=args.children,
                             reuse=args.reuse, jobs=args.jobs, rows=args.rows)
    if args.which == "fund":
        from benchmarks import fund

        return fund.main(children=args.children, reuse=args.reuse, template=args.template)
    if args.which == "child_friendly":
        from benchmarks import child_friendly

        return child_friendly.main()
    if args.which == "import":
        from benchmarks import registry_import

        return registry_import.main(rows=args.rows)
    from benchmarks import registry

    return registry.main(children=args.children, reuse=args.reuse)


if __name__ == "__main__":
    sys.exit(main())
