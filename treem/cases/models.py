"""Protection cases: notifications, the case process of Nghị định 56/2017, and the calendar its
deadlines are counted on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A day that breaks the Monday-to-Friday week of the public administration: a public
    holiday (or a day off moved next to one), or a Saturday worked to make up for one.

    Data, not code: the Government announces the days off each year (Tết moves with the lunar
    calendar, days are swapped around holidays), and an administrator enters them here."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Ngày nghỉ lễ, Tết")
        WORKING = "working", _("Ngày làm việc bù")

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices, default=Kind.HOLIDAY)
    name = models.CharField(_("tên"), max_length=120)
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"
