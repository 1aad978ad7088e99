from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from treem.cases.demo import setup_demo_cases
from treem.fund.demo import setup_demo_fund
from treem.indicators.demo import setup_demo_plan
from treem.plans.activities.demo import setup_demo_activities
from treem.plans.child_friendly.demo import setup_demo_assessment
from treem.plans.demo import setup_demo_plans
from treem.plans.models import Plan, Task
from treem.registry.demo import setup_demo_register
from treem.reports.demo import setup_demo_reports
from treem.web.demo import (
    DEMO_PASSWORD,
    DEMO_PROVINCE_CODE,
    setup_demo_accounts,
    setup_demo_trail,
)


class Command(BaseCommand):
    help = "Prepare the demo: migrate, load units, create demo villages and one account per role."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEMO:
            raise CommandError("The demo is only set up with TREEM_DEMO=1 (never in production).")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_units")
        call_command("load_indicators", verbosity=0)
        call_command("load_schedules", verbosity=0)  # they name the indicator sets
        call_command("load_plans", verbosity=0)  # the seed plans, whose targets are those sets
        call_command("load_child_friendly", verbosity=0)  # QĐ 06/QĐ-TTg's criteria
        call_command("privacy_defaults", verbosity=0)  # the register of processing activities
        logins = setup_demo_accounts()
        children = setup_demo_register(province_code=DEMO_PROVINCE_CODE)
        cases = setup_demo_cases()
        targets = setup_demo_plan()
        reports = setup_demo_reports()
        setup_demo_plans()
        activities = setup_demo_activities()
        setup_demo_assessment()
        trail = setup_demo_trail()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("treem demo — http://127.0.0.1:8000"))
        self.stdout.write(f"Synthetic children on the demo province's register: {children:,}")
        self.stdout.write(f"Protection cases in the demo officer's commune: {cases}")
        self.stdout.write(f"Targets of the demo province's plan on today's units: {targets}")
        self.stdout.write(f"Periodic reports of the demo communes: {reports}")
        self.stdout.write(f"Local plans with their tasks: {Plan.objects.count()} plans, "
                          f"{Task.objects.count()} tasks")
        self.stdout.write(f"Activities (forums, consultations, trainings…): {activities}")
        self.stdout.write(f"Exports and reads of case records in the audit trail: {trail}")
        self.stdout.write(f"The demo province's child-protection fund: {setup_demo_fund()}")
        self.stdout.write(f"Password of every demo account: {DEMO_PASSWORD}")
        width = max(len(login.username) for login in logins)
        for login in logins:
            second = "TOTP on first login" if login.two_factor else "no second factor"
            self.stdout.write(f"  {login.username:<{width}}  {login.role} — {login.unit} ({second})")
        self.stdout.write("Staff accounts set up two-factor on first login: scan the QR code with "
                          "any authenticator app (or type the key shown under it).")
        self.stdout.write("")
