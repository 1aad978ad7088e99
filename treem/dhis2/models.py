"""A province's DHIS2 identifiers for treem's indicators, breakdowns and units, so that the
values export as a dataValueSets document its statistics system imports as it is.

DHIS2 names everything by an 11-character UID ("fbfJHSPpUQD"): a data element (treem maps an
indicator's value, numerator or denominator to one each; DHIS2 usually imports the counts and
computes rates itself), a category option combo (a breakdown: "sex=f"; the total is DHIS2's
default combo), an org unit (a treem unit), and optionally the data set and the attribute
option combo. The statistics office keeps the table as an Excel sheet; an import replaces it.
"""

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField

UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
# The same rule on the model, for any other writer than the workbook import (which names the
# sheet and row itself).
validate_uid = RegexValidator(UID, _("Mã UID của DHIS2 gồm 11 ký tự chữ và số, bắt đầu bằng "
                                     "chữ (ví dụ fbfJHSPpUQD)."), code="dhis2_uid")


class MappingQuerySet(ScopedQuerySet):
    scope_path = "province_path"


class Mapping(models.Model):
    province = models.OneToOneField("geo.Unit", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("tỉnh, thành phố"))
    province_path = PathField(max_length=64, db_index=True)
    data_set = models.CharField(_("tập dữ liệu (dataSet)"), max_length=11, blank=True,
                                validators=[validate_uid])
    attribute_option_combo = models.CharField(_("attributeOptionCombo"), max_length=11,
                                              blank=True, validators=[validate_uid])
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = MappingQuerySet.as_manager()

    def __str__(self) -> str:
        return f"DHIS2 {self.province_id}"


class Role(models.TextChoices):
    VALUE = "value", _("giá trị")
    NUMERATOR = "numerator", _("tử số")
    DENOMINATOR = "denominator", _("mẫu số")


class ElementMap(models.Model):
    """The data element an indicator's value, numerator or denominator goes to, for its total
    or for one of its breakdowns.

    A DHIS2 data element has one category combo, and DHIS2 adds up every category option combo
    of an element into its total. An element therefore takes either the totals (dimension "":
    DHIS2's default combo) or the values of one breakdown (dimension "sex": one combo per sex),
    never both: a total sent beside its breakdowns would be counted twice.
    """

    mapping = models.ForeignKey(Mapping, on_delete=models.CASCADE, related_name="elements")
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.PROTECT,
                                  related_name="+")
    role = models.CharField(max_length=12, choices=Role.choices)
    dimension = models.CharField(_("phân tổ"), max_length=40, blank=True)  # "" the totals
    uid = models.CharField(max_length=11, validators=[validate_uid])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mapping", "indicator", "role", "dimension"],
                                    name="dhis2_one_element_per_role_and_dimension"),
            models.UniqueConstraint(fields=["mapping", "uid"], name="dhis2_element_once"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.role} {self.dimension or 'total'} → {self.uid}"


class ComboMap(models.Model):
    """The category option combo of a treem breakdown ("" the total: DHIS2's default)."""

    mapping = models.ForeignKey(Mapping, on_delete=models.CASCADE, related_name="combos")
    breakdown = models.CharField(max_length=120, blank=True)
    uid = models.CharField(max_length=11, validators=[validate_uid])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mapping", "breakdown"],
                                    name="dhis2_one_combo_per_breakdown"),
            models.UniqueConstraint(fields=["mapping", "uid"], name="dhis2_combo_once"),
        ]

    def __str__(self) -> str:
        return f"{self.breakdown or 'default'} → {self.uid}"


class OrgUnitMap(models.Model):
    mapping = models.ForeignKey(Mapping, on_delete=models.CASCADE, related_name="org_units")
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    uid = models.CharField(max_length=11, validators=[validate_uid])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mapping", "unit"], name="dhis2_one_uid_per_unit"),
            models.UniqueConstraint(fields=["mapping", "uid"], name="dhis2_org_unit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.uid}"
