"""Rows of the child register made directly, for tests (the services are what tests exercise).

A child is made the way `child_register` leaves it: a Child row in a commune (and village) with
its folded name, and an open residence from its birth (or `resident_since`).
"""

import datetime
from typing import Any

from treem.geo.models import Unit
from treem.lib.text import fold, normalize, word_prefixes
from treem.registry import choices, history_province
from treem.registry.models import (
    Caregiver,
    Child,
    ChildCircumstance,
    ChildConsent,
    ChildResidence,
    ChildRisk,
    ChildSupport,
    CircumstanceGroup,
    ConsentForm,
    Ethnicity,
    Household,
    years_before,
)

BIRTH_DATE = datetime.date(2015, 3, 1)
FORM_PDF = b"%PDF-1.4 giay dong y co chu ky"


def ethnicity(code: str = "01") -> Ethnicity:
    """An ethnic group of the catalogue loaded by migration ("01" Kinh, "02" Tày…)."""
    return Ethnicity.objects.get(code=code)


def group(code: str) -> CircumstanceGroup:
    return CircumstanceGroup.objects.get(code=code)


def make_child(*, commune: Unit, village: Unit | None = None, full_name: str = "Nguyễn Văn An",
               sex: str = choices.Sex.MALE, birth_date: datetime.date = BIRTH_DATE,
               ethnicity_code: str = "01", resident_since: datetime.date | None = None,
               **fields: Any) -> Child:
    place = village or commune
    name = normalize(full_name)
    child = Child.objects.create(
        full_name=name, name_folded=fold(name), name_prefixes=word_prefixes(fold(name)),
        sex=sex, birth_date=birth_date,
        ethnicity=ethnicity(ethnicity_code), commune=commune, village=village,
        unit_path=place.path, province_code=commune.province_code, **fields,
    )
    ChildResidence.objects.create(
        child=child, commune=commune, village=village, unit_path=place.path,
        residence_type=child.residence_type, province_code=child.province_code,
        child_province_code=child.province_code, start_date=resident_since or birth_date,
    )
    return child


def relocate(child: Child, *, commune: Unit, village: Unit | None = None,
             on: datetime.date) -> Child:
    """What `child_move` leaves behind: the open residence closed the day before `on`."""
    place = village or commune
    ChildResidence.objects.filter(child=child, end_date__isnull=True).update(
        end_date=on - datetime.timedelta(days=1))
    ChildResidence.objects.create(
        child=child, commune=commune, village=village, unit_path=place.path,
        province_code=commune.province_code, child_province_code=commune.province_code,
        start_date=on,
    )
    child.commune, child.village, child.unit_path = commune, village, place.path
    child.province_code = commune.province_code
    child.save(update_fields=["commune", "village", "unit_path", "province_code"])
    history_province.follow_children([child.pk])
    return child


def make_household(*, commune: Unit, village: Unit | None = None,
                   head_name: str = "Nguyễn Văn Bình", **fields: Any) -> Household:
    place = village or commune
    name = normalize(head_name)
    return Household.objects.create(
        commune=commune, village=village, unit_path=place.path,
        province_code=commune.province_code, head_name=name, head_name_folded=fold(name),
        **fields,
    )


def make_caregiver(*, child: Child, full_name: str = "Trần Thị Hoa",
                   relation: str = choices.Relation.MOTHER, **fields: Any) -> Caregiver:
    name = normalize(full_name)
    return Caregiver.objects.create(child=child, full_name=name, name_folded=fold(name),
                                    relation=relation, **fields)


def make_circumstance(*, child: Child, code: str, start_date: datetime.date,
                      end_date: datetime.date | None = None) -> ChildCircumstance:
    return ChildCircumstance.objects.create(child=child, group=group(code),
                                            province_code=child.province_code,
                                            start_date=start_date, end_date=end_date)


def make_risk(*, child: Child, flag: str = choices.RiskFlag.VIOLENCE,
              start_date: datetime.date, end_date: datetime.date | None = None) -> ChildRisk:
    return ChildRisk.objects.create(child=child, flag=flag, province_code=child.province_code,
                                    start_date=start_date, end_date=end_date)


def make_support(*, child: Child, kind: str = choices.SupportKind.EDUCATION,
                 start_date: datetime.date, end_date: datetime.date | None = None,
                 ) -> ChildSupport:
    return ChildSupport.objects.create(child=child, kind=kind, province_code=child.province_code,
                                       start_date=start_date, end_date=end_date)


def make_consent(*, child: Child, by: Any = None, purpose: str = "named_in_activity",
                 given_on: datetime.date | None = None, child_agreed: bool | None = None,
                 representative_name: str = "Lò Thị Hoa", relation: str = "mother",
                 withdrawn_on: datetime.date | None = None) -> ChildConsent:
    """A consent to `purpose` as `consent_record` leaves it, with a one-page PDF form; given
    today unless told, with the child's own agreement when it is 7 or more that day."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from treem.accounts.models import User

    if by is None:  # an officer of the child's commune who recorded it; who does not matter
        by = (User.objects.filter(username="consent_recorder").first()
              or User.objects.create_user(username="consent_recorder"))
    day = given_on or timezone.localdate()
    if child_agreed is None:
        child_agreed = child.birth_date <= years_before(day, 7)
    form = ConsentForm(name="dong-y.pdf", content_type="application/pdf", size=len(FORM_PDF),
                       uploaded_by=by)
    form.file.save("dong-y.pdf", ContentFile(FORM_PDF), save=False)
    form.save()
    return ChildConsent.objects.create(
        child=child, unit_path=child.unit_path, province_code=child.province_code,
        purpose=purpose, representative_name=representative_name, relation=relation,
        child_agreed=child_agreed, given_on=day, form=form, recorded_by=by,
        withdrawn_on=withdrawn_on, withdrawn_by=by if withdrawn_on else None)


def make_consenting_child(*, purposes: tuple[str, ...] = ("named_in_activity",),
                          **fields: Any) -> Child:
    """`make_child`, with a consent given today to each of `purposes` (naming it in an
    activity, by default): for the tests of what rests on a consent, not of the consent."""
    child = make_child(**fields)
    for purpose in purposes:
        make_consent(child=child, purpose=purpose)
    return child
