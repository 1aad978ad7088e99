"""The tasks waiting for a focal point: on its home page, and e-mailed once a due date."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from treem.plans import services
from treem.plans.models import Agency, Task, TaskReminder, TimeFrame
from treem.plans.reminders import send_task_reminders
from treem.plans.tests.factories import make_agency, make_plan, make_task
from treem.testing import Personas, Tree, login

TODAY = datetime.date(2026, 12, 5)


@pytest.fixture
def police(tree: Tree, personas: Personas) -> Agency:
    agency = make_agency(tree.province, "Công an tỉnh")
    services.focal_point_add(actor=personas.province_officer, agency=agency,
                             user=personas.sector_focal)
    return agency


@pytest.fixture
def tasks(tree: Tree, police: Agency) -> dict[str, Task]:
    plan = make_plan(tree.province, start_year=2026, end_year=2027)
    return {
        "overdue": make_task(plan, police, "1", "Hạn 30/6", time_frame=TimeFrame.DATES,
                             end_date=datetime.date(2026, 6, 30)),
        "soon": make_task(plan, police, "2", "Hạn 10/12", time_frame=TimeFrame.DATES,
                          end_date=datetime.date(2026, 12, 10)),
        "later": make_task(plan, police, "3", "Hạn tháng 3 năm sau", time_frame=TimeFrame.DATES,
                           end_date=datetime.date(2027, 3, 31)),
        "other": make_task(plan, make_agency(tree.province, "Sở Y tế"), "4", "Của Sở Y tế",
                           time_frame=TimeFrame.DATES, end_date=datetime.date(2026, 6, 30)),
    }


def test_the_home_page_lists_the_overdue_and_coming_tasks_of_its_agencies(
        client: Client, personas: Personas, tasks: dict[str, Task],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    home = login(client, personas.sector_focal).get(reverse("web:home")).content.decode()
    section = home[home.index('id="home-tasks-due"'):]
    section = section[:section.index("</section>")]
    assert "Hạn 30/6" in section and "quá hạn" in section and "Hạn 10/12" in section
    assert "Hạn tháng 3 năm sau" not in section and "Của Sở Y tế" not in section
    assert section.index("Hạn 30/6") < section.index("Hạn 10/12")  # overdue first
    # A plan that has ended waits for nobody.
    tasks["overdue"].plan.status = "ended"
    tasks["overdue"].plan.save(update_fields=["status"])
    home = client.get(reverse("web:home")).content.decode()
    assert "Hạn 30/6" not in home and "Hạn 10/12" not in home


def test_a_focal_point_is_emailed_once_a_due_date(personas: Personas, tasks: dict[str, Task],
                                                  settings: object) -> None:
    personas.sector_focal.email = "congan@example.vn"
    personas.sector_focal.save(update_fields=["email"])
    assert send_task_reminders(today=TODAY, days=7) == 1
    (message,) = mail.outbox
    assert message.to == ["congan@example.vn"]
    assert "2 nhiệm vụ" in message.subject
    assert "quá hạn" in message.body and "hạn 10/12/2026" in message.body
    assert "Hạn tháng 3" not in message.body and "Của Sở Y tế" not in message.body
    assert send_task_reminders(today=TODAY, days=7) == 0  # again the same day: nothing
    assert TaskReminder.objects.count() == 2
    # Reported done, the overdue task is no longer reminded of; a focal point without an
    # address gets its home page only.
    personas.sector_focal.email = ""
    personas.sector_focal.save(update_fields=["email"])
    assert send_task_reminders(today=TODAY + datetime.timedelta(days=1)) == 0


def test_a_mail_server_down_records_nothing_and_the_next_run_sends(
        personas: Personas, tasks: dict[str, Task], monkeypatch: pytest.MonkeyPatch) -> None:
    personas.sector_focal.email = "congan@example.vn"
    personas.sector_focal.save(update_fields=["email"])

    def down(*args: object, **kwargs: object) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr("treem.plans.reminders.send_mail", down)
    assert send_task_reminders(today=TODAY) == 0
    assert not TaskReminder.objects.exists()
    monkeypatch.undo()
    assert send_task_reminders(today=TODAY) == 1
