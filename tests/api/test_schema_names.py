"""Every request and response schema of the API has a name of its own: the OpenAPI document
keeps one component per name, so two apps' `PlanOut` would validate one app's answers against
the other's fields (schemathesis found it with two `AssessmentOut`)."""

from ninja import Schema

from treem.api import api  # noqa: F401 - every router imported, every schema defined


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    ours = {cls for cls in _subclasses(Schema) if cls.__module__.startswith("treem.")}
    modules: dict[str, set[str]] = {}
    for cls in ours:
        modules.setdefault(cls.__name__, set()).add(cls.__module__)
    shared = {name: sorted(found) for name, found in modules.items() if len(found) > 1}
    assert not shared, shared
