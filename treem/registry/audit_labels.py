"""How the audit log names the register's records to its reader (`treem.auditlog.labels`)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.auditlog.labels import ObjectLabel, register, short_name, uuids_of
from treem.registry.models import Child, ChildConsent, Household


def child_labels(reader: User, ids: list[str]) -> dict[str, ObjectLabel]:
    """The children the reader may see on the register, by name and with their page; the
    others only as "hồ sơ trẻ em"."""
    children = (Child.objects.visible_to(reader, capability=Capability.VIEW_CHILDREN)
                .filter(public_id__in=uuids_of(ids)).only("public_id", "full_name"))
    return {str(child.public_id): ObjectLabel(
        _("hồ sơ trẻ em %(name)s") % {"name": short_name(child.full_name)},
        reverse("registry:child_detail", args=[child.public_id])) for child in children}


def household_labels(reader: User, ids: list[str]) -> dict[str, ObjectLabel]:
    households = (Household.objects.visible_to(reader, capability=Capability.VIEW_CHILDREN)
                  .filter(public_id__in=uuids_of(ids)).only("public_id", "head_name"))
    return {str(household.public_id): ObjectLabel(
        _("hộ gia đình %(name)s") % {"name": short_name(household.head_name)},
        reverse("registry:household_detail", args=[household.public_id]))
        for household in households}


def consent_labels(reader: User, ids: list[str]) -> dict[str, ObjectLabel]:
    """A consent as the child it is about, with the child's page (where consents are listed),
    for who may read that child."""
    consents = (ChildConsent.objects.visible_to(reader, capability=Capability.VIEW_CHILDREN)
                .filter(public_id__in=uuids_of(ids)).select_related("child")
                .only("public_id", "child__public_id", "child__full_name"))
    return {str(consent.public_id): ObjectLabel(
        _("sự đồng ý cho trẻ %(name)s") % {"name": short_name(consent.child.full_name)},
        reverse("registry:child_detail", args=[consent.child.public_id]) + "#consents")
        for consent in consents}


def register_labellers() -> None:
    register("registry.child", child_labels)
    register("registry.household", household_labels)
    register("registry.childconsent", consent_labels)
