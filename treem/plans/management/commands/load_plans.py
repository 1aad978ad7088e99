"""`manage.py load_plans`: the local plans shipped in treem/plans/data/seeds, with every task
and agency as the plan assigns them (after the administrative units and the indicator sets,
which a plan's targets are). Safe to run again."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from treem.plans.loading import PlanFileError, load_seeds


class Command(BaseCommand):
    help = "Load the local plans shipped with treem (after the units and the indicator sets)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plans = load_seeds()
        except PlanFileError as error:
            raise CommandError(str(error)) from error
        for plan in plans if options["verbosity"] > 0 else ():
            self.stdout.write(f"{plan.code}: {plan.tasks.count()} tasks")
