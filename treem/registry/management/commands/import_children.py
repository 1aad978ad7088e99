"""`manage.py import_children FILE --commune CODE --user USERNAME [--valid-only]`

Imports an Excel list of children the way the import page does (the same checks, scope and
audit, under the named user), but waits for it: the file is checked, then written, and a
summary is printed. Nothing is written when a row is wrong, unless --valid-only is given.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.registry.importing import jobs, runner
from treem.registry.models import ImportJob
from treem.registry.selectors import communes_to_register

ERRORS_SHOWN = 20


class Command(BaseCommand):
    help = "Import an Excel (.xlsx) list of children into a commune's register, synchronously."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx file (the import template)")
        parser.add_argument("--commune", required=True, help="the commune's code (e.g. 01273)")
        parser.add_argument("--user", required=True,
                            help="the user the import is made as (its scope and the audit)")
        parser.add_argument("--valid-only", action="store_true",
                            help="write the valid rows even if other rows have errors")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username__iexact=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("Không có người dùng “%(name)s”.") % {"name": options["user"]})
        commune = next((c for c in communes_to_register(user=user)
                        if c.code == options["commune"]), None)
        if commune is None:
            raise CommandError(_("%(user)s không ghi sổ theo dõi trẻ em của xã, phường có mã "
                                 "“%(code)s”.") % {"user": user.get_username(),
                                                  "code": options["commune"]})
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Không đọc được tệp %(path)s: %(error)s")
                               % {"path": path, "error": error.strerror}) from error

        mode = ImportJob.Mode.VALID_ONLY if options["valid_only"] else ImportJob.Mode.ALL
        with runner.synchronous():
            try:
                job = jobs.import_job_create(actor=user, commune=commune, data=data,
                                             file_name=path.name)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            job.refresh_from_db()
            self._report_check(job)
            if job.status != ImportJob.Status.VALIDATED:
                raise CommandError(job.message or job.get_status_display())
            try:
                jobs.import_job_commit(actor=user, job=job, mode=mode)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        job.refresh_from_db()
        if job.status != ImportJob.Status.DONE:
            self._report_errors(job)
            raise CommandError(job.message or job.get_status_display())
        self.stdout.write(self.style.SUCCESS(_(
            "Đã ghi vào sổ: %(created)s trẻ mới, %(updated)s trẻ được cập nhật, %(unchanged)s "
            "trẻ không thay đổi.") % {"created": job.created_count,
                                      "updated": job.updated_count,
                                      "unchanged": job.unchanged_count}))
        self.stdout.write(_("Mã lần nhập: %(id)s") % {"id": job.public_id})

    def _report_check(self, job: ImportJob) -> None:
        if job.status == ImportJob.Status.FAILED:
            return
        self.stdout.write(_("%(total)s dòng trong tệp, %(valid)s dòng hợp lệ, %(errors)s dòng "
                            "có lỗi.") % {"total": job.total_rows, "valid": job.valid_rows,
                                          "errors": job.error_rows})
        self._report_errors(job)

    def _report_errors(self, job: ImportJob) -> None:
        for error in job.errors[:ERRORS_SHOWN]:
            column = f"{error['column']} · " if error["column"] else ""
            self.stdout.write(_("Dòng %(row)s, cột %(column)s%(label)s: %(message)s") % {
                "row": error["row"], "column": column, "label": error["label"],
                "message": error["message"]})
        hidden = job.error_count - min(len(job.errors), ERRORS_SHOWN)
        if hidden > 0:
            self.stdout.write(_("… và %(n)s lỗi khác.") % {"n": hidden})
