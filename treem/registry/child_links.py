"""Actions of higher apps on a child's page (a data subject's request, for one). The register
cannot name their pages, being below them; each app registers its link when it starts, with
the capability its page needs, and the page shows those the reader holds over the child."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from treem.accounts.models import User
from treem.registry.models import Child


@dataclass(frozen=True)
class ChildLink:
    label: Promise
    url_name: str
    capability: str


_LINKS: list[ChildLink] = []


def register(link: ChildLink) -> None:
    if link not in _LINKS:
        _LINKS.append(link)


def links_for(*, user: User, child: Child) -> list[tuple[str, str]]:
    """(label, address) of the registered actions `user` may take on `child`: a capability
    held over the child's commune (its current record, never a merged one)."""
    if child.merged_into_id is not None:
        return []
    return [(str(link.label), reverse(link.url_name, args=[child.public_id]))
            for link in _LINKS if user.in_scope(child.unit_path, capability=link.capability)]

