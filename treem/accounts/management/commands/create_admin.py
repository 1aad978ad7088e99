import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.accounts.services import admin_bootstrap
from treem.geo.models import Level, Unit


class Command(BaseCommand):
    help = (
        "Create an installation administrator. The password is read from TREEM_ADMIN_PASSWORD "
        "or asked for, never taken on the command line (it would land in shell history)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--unit-code", default="VN",
                            help="Official code of the unit administered (default: the nation).")

    def handle(self, *args: object, **options: str) -> None:
        unit = Unit.objects.current().filter(code=options["unit_code"]).exclude(
            level=Level.VILLAGE).first()
        if unit is None:
            raise CommandError(f"No current unit with code {options['unit_code']}; "
                               "run `manage.py load_units` first.")
        password = os.environ.get("TREEM_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        try:
            user = admin_bootstrap(username=options["username"], full_name=options["full_name"],
                                   password=password, unit=unit)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Created administrator {user.username} of {unit}."))
