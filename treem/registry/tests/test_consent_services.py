"""Consents: recorded with their signed form (the child's own agreement from 7), withdrawn with
a version check, and the consent a use of the child's data rests on, checked against the
child's age on the day; each refusal writes nothing."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from treem.audit.models import Action, AuditEvent
from treem.edits.conflicts import EditConflict
from treem.registry.consent import selectors, services
from treem.registry.models import Child, ChildConsent, ConsentForm, ConsentPurpose, years_before
from treem.registry.tests.factories import FORM_PDF, make_child, make_consent
from treem.testing import Personas, Tree, messages_of, refused

pytestmark = pytest.mark.django_db

NAMED = ConsentPurpose.NAMED_IN_ACTIVITY
PHOTO = ConsentPurpose.PHOTO_EVIDENCE
DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


def rows() -> tuple[int, int, int]:
    return (ChildConsent.objects.count(), ConsentForm.objects.count(),
            AuditEvent.objects.count())


def birthday(birth: datetime.date, years: int) -> datetime.date:
    """The day a child born on `birth` turns `years` (29 February: the 28th)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return birth.replace(year=birth.year + years, day=28)


def record(personas: Personas, child: Child, **values: object) -> ChildConsent:
    fields: dict[str, object] = {
        "purpose": NAMED, "representative_name": "Lò Thị Hoa", "relation": "mother",
        "child_agreed": True, "given_on": today(), "form_data": FORM_PDF,
        "form_name": "dong-y.pdf", "note": ""}
    fields.update(values)
    return services.consent_record(actor=personas.officer, child=child, **fields)  # type: ignore[arg-type]


@pytest.fixture
def child(tree: Tree) -> Child:
    return make_child(commune=tree.commune_a, full_name="Lò Thị Mai")


class RecordTests:
    def test_it_records_a_consent_with_its_form_audited_on_the_consent_and_the_child(
            self, personas: Personas, child: Child) -> None:
        made = record(personas, child, representative_name="  Lò   Thị Hoa ")
        assert made.representative_name == "Lò Thị Hoa" and made.version == 1
        assert made.unit_path == child.unit_path and made.recorded_by == personas.officer
        assert made.form.content_type == "application/pdf"
        assert made.form.file.read() == FORM_PDF
        assert AuditEvent.objects.filter(action=Action.CREATE,
                                         object_id=str(made.public_id)).exists()
        on_child = AuditEvent.objects.get(object_id=str(child.public_id))
        assert on_child.changed_fields == ["consents"]

    def test_a_photo_form_loses_its_metadata_and_a_program_is_refused(
            self, personas: Personas, child: Child) -> None:
        out = io.BytesIO()
        Image.new("RGB", (8, 8), "white").save(out, "JPEG")
        made = record(personas, child, form_data=out.getvalue(), form_name="C:\\scan\\dong-y.jpg")
        assert (made.form.content_type, made.form.name) == ("image/jpeg", "dong-y.jpg")
        error = refused(record, snapshot=rows, personas=personas, child=child,
                        form_data=b"MZ\x90\x00", form_name="virus.exe")
        assert "JPEG" in messages_of(error, "form")[0]

    @pytest.mark.parametrize(("values", "field"), [
        ({"representative_name": "  "}, "representative_name"),
        ({"purpose": "advertising"}, "purpose"),
        ({"relation": "neighbour"}, "relation"),
        ({"given_on": datetime.date(2014, 1, 1)}, "given_on"),
        ({"form_data": b""}, "form"),
        ({"note": "x" * 501}, "note"),
    ])
    def test_bad_input_is_refused_and_writes_nothing(self, personas: Personas, child: Child,
                                                     values: dict, field: str) -> None:
        error = refused(record, snapshot=rows, personas=personas, child=child, **values)
        assert messages_of(error, field)

    def test_a_consent_given_in_the_future_is_refused(self, personas: Personas,
                                                       child: Child) -> None:
        error = refused(record, snapshot=rows, personas=personas, child=child,
                        given_on=today() + DAY)
        assert messages_of(error, "given_on") == ["Ngày này chưa đến."]

    def test_from_the_seventh_birthday_the_child_must_agree_too(
            self, tree: Tree, personas: Personas) -> None:
        seven_today = make_child(commune=tree.commune_a, full_name="Lò Văn Bảy",
                                 birth_date=years_before(today(), 7))
        error = refused(record, snapshot=rows, personas=personas, child=seven_today,
                        child_agreed=False)
        assert "đủ 7 tuổi" in messages_of(error, "child_agreed")[0]
        seven_tomorrow = make_child(commune=tree.commune_a, full_name="Lò Văn Sáu",
                                    birth_date=years_before(today(), 7) + DAY)
        assert not record(personas, seven_tomorrow, child_agreed=False).child_agreed

    def test_the_officer_of_another_commune_or_a_reader_cannot_record(
            self, personas: Personas, child: Child) -> None:
        for actor in (personas.outsider, personas.auditor, personas.province_officer):
            error = refused(services.consent_record, snapshot=rows, actor=actor, child=child,
                            purpose=NAMED, representative_name="Lò Thị Hoa", relation="mother",
                            child_agreed=True, given_on=today(), form_data=FORM_PDF,
                            form_name="a.pdf")
            assert isinstance(error, PermissionDenied)

    def test_a_merged_away_record_is_refused(self, tree: Tree, personas: Personas,
                                             child: Child) -> None:
        kept = make_child(commune=tree.commune_a, full_name="Lò Thị Mai Giữ")
        Child.objects.filter(pk=child.pk).update(merged_into=kept)
        child.refresh_from_db()
        error = refused(record, snapshot=rows, personas=personas, child=child)
        assert messages_of(error, "child")


class WithdrawTests:
    def test_it_withdraws_with_the_version_read_and_audits_it(
            self, personas: Personas, child: Child) -> None:
        made = record(personas, child, given_on=today() - 10 * DAY)
        done = services.consent_withdraw(actor=personas.officer, consent=made, base_version=1,
                                         withdrawn_on=today(), note=" Mẹ đổi ý ")
        assert (done.withdrawn_on, done.withdrawn_by, done.withdrawal_note, done.version) == \
            (today(), personas.officer, "Mẹ đổi ý", 2)
        event = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(made.public_id))
        assert set(event.changed_fields) == {"withdrawn_on", "withdrawal_note"}

    def test_a_stale_version_is_refused_with_both_values_and_writes_nothing(
            self, personas: Personas, child: Child) -> None:
        made = make_consent(child=child, by=personas.officer, given_on=today() - 10 * DAY)
        services.consent_withdraw(actor=personas.chairman, consent=made, base_version=1,
                                  withdrawn_on=today() - DAY)
        stale = ChildConsent.objects.get(pk=made.pk)
        before = rows()
        with pytest.raises(EditConflict) as conflict:
            services.consent_withdraw(actor=personas.officer, consent=stale, base_version=1,
                                      withdrawn_on=today())
        assert conflict.value.fields == ["withdrawn_on"] and conflict.value.version == 2
        assert rows() == before
        assert ChildConsent.objects.get(pk=made.pk).withdrawn_on == today() - DAY

    def test_a_withdrawal_twice_before_the_consent_or_in_the_future_is_refused(
            self, personas: Personas, child: Child) -> None:
        made = make_consent(child=child, by=personas.officer, given_on=today() - 10 * DAY)
        error = refused(services.consent_withdraw, snapshot=rows, actor=personas.officer,
                        consent=made, base_version=1, withdrawn_on=today() - 11 * DAY)
        assert messages_of(error, "withdrawn_on") == ["Ngày rút lại trước ngày đồng ý."]
        error = refused(services.consent_withdraw, snapshot=rows, actor=personas.officer,
                        consent=made, base_version=1, withdrawn_on=today() + DAY)
        assert messages_of(error, "withdrawn_on") == ["Ngày này chưa đến."]
        services.consent_withdraw(actor=personas.officer, consent=made, base_version=1,
                                  withdrawn_on=today())
        error = refused(services.consent_withdraw, snapshot=rows, actor=personas.officer,
                        consent=made, base_version=2, withdrawn_on=today())
        assert messages_of(error) == ["Sự đồng ý này đã được rút lại."]

    def test_the_officer_of_another_commune_cannot_withdraw(self, personas: Personas,
                                                            child: Child) -> None:
        made = make_consent(child=child, by=personas.officer)
        error = refused(services.consent_withdraw, snapshot=rows, actor=personas.outsider,
                        consent=made, base_version=1, withdrawn_on=today())
        assert isinstance(error, PermissionDenied)

    def test_the_database_refuses_a_withdrawal_before_the_consent(
            self, personas: Personas, child: Child) -> None:
        made = make_consent(child=child, by=personas.officer, given_on=today())
        with pytest.raises(IntegrityError), transaction.atomic():
            ChildConsent.objects.filter(pk=made.pk).update(withdrawn_on=today() - DAY,
                                                           withdrawn_by=personas.officer)


class ValidConsentTests:
    def test_a_parents_consent_at_five_holds_until_the_day_before_seven_and_not_on_it(
            self, tree: Tree, personas: Personas) -> None:
        birth = years_before(today(), 5) - 30 * DAY
        small = make_child(commune=tree.commune_a, full_name="Lò Văn Năm", birth_date=birth)
        parent_only = make_consent(child=small, by=personas.officer, child_agreed=False)
        seventh = birthday(birth, 7)
        assert selectors.consent_valid(small, NAMED, on=today()) == parent_only
        assert selectors.consent_valid(small, NAMED, on=seventh - DAY) == parent_only
        assert selectors.consent_valid(small, NAMED, on=seventh) is None
        reason = selectors.consent_verdict(child=small, purpose=NAMED, on=seventh).reason
        assert reason.startswith("Trẻ đã đủ 7 tuổi: cần có sự đồng ý của chính trẻ")
        # A "yes" heard from the child at five does not count at seven either.
        heard = make_consent(child=small, by=personas.officer, child_agreed=True)
        assert selectors.consent_valid(small, NAMED, on=seventh - DAY) == heard
        assert selectors.consent_valid(small, NAMED, on=seventh) is None

    def test_a_consent_with_the_childs_agreement_at_seven_suffices(
            self, tree: Tree, personas: Personas) -> None:
        seven = make_child(commune=tree.commune_a, full_name="Lò Văn Bảy",
                           birth_date=years_before(today(), 7))
        make_consent(child=seven, by=personas.officer, given_on=today() - DAY,
                     child_agreed=True)  # the day before its birthday: at six
        assert selectors.consent_valid(seven, NAMED, on=today()) is None
        agreed = make_consent(child=seven, by=personas.officer, given_on=today())
        assert agreed.child_agreed
        assert selectors.consent_valid(seven, NAMED, on=today()) == agreed

    def test_a_withdrawn_consent_a_later_one_another_purpose_or_none_is_not_relied_upon(
            self, personas: Personas, child: Child) -> None:
        verdict = selectors.consent_verdict(child=child, purpose=NAMED, on=today())
        assert verdict.consent is None and "Chưa có sự đồng ý" in verdict.reason
        make_consent(child=child, by=personas.officer, purpose=PHOTO)
        assert selectors.consent_valid(child, NAMED, on=today()) is None
        made = make_consent(child=child, by=personas.officer, given_on=today())
        later = selectors.consent_verdict(child=child, purpose=NAMED, on=today() - DAY)
        assert later.consent is None and "sau ngày" in later.reason
        services.consent_withdraw(actor=personas.officer, consent=made, base_version=1,
                                  withdrawn_on=today())
        gone = selectors.consent_verdict(child=child, purpose=NAMED, on=today())
        assert gone.consent is None and "đã được rút lại" in gone.reason

    def test_consent_required_gives_the_officer_the_reason_at_the_field_named(
            self, personas: Personas, child: Child) -> None:
        with pytest.raises(ValidationError) as refusal:
            selectors.consent_required(child=child, purpose=PHOTO, on=today(), field="proofs")
        assert "Ảnh của trẻ làm minh chứng" in messages_of(refusal.value, "proofs")[0]
        made = make_consent(child=child, by=personas.officer, purpose=PHOTO)
        assert selectors.consent_required(child=child, purpose=PHOTO, on=today()) == made
