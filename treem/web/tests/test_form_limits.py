"""Every form holds its input to the bounds the API holds it to (treem.lib.limits): text has a
maximum length (checked before anything else reads it), a day lies in 1900–2199, a number has
both ends. A field without one is how a megabyte of text or a day of year 1 reached a service."""

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

import treem
from treem.cases import assessments
from treem.cases.forms import AssessmentForm, PlanForm
from treem.indicators.entry_forms import FigureForm
from treem.indicators.models import IndicatorVersion


def form_classes() -> Iterator[Any]:
    for module in pkgutil.walk_packages(treem.__path__, "treem."):
        if module.name.rsplit(".", 1)[-1] not in ("forms", "entry_forms"):
            continue
        for _name, value in inspect.getmembers(importlib.import_module(module.name),
                                               inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.name:
                yield value


def built_forms() -> Iterator[tuple[str, forms.Form]]:
    """The forms whose fields are made when they are: one of each shape."""
    yield "PlanForm", PlanForm()
    for kind in assessments.ITEMS:
        yield f"AssessmentForm({kind})", AssessmentForm(kind=kind)
    version = IndicatorVersion(unit_kind="ratio", disaggregations=["sex"])
    yield "FigureForm", FigureForm(version=version, current={}, previous={})


def unbounded(field: forms.Field) -> str | None:
    if isinstance(field, (forms.UUIDField, forms.FileField)):
        return None  # bounded by what they are
    if isinstance(field, forms.CharField) and field.max_length is None:
        return "text without max_length"
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        kinds = {type(v) for v in field.validators}
        if not {MinValueValidator, MaxValueValidator} <= kinds:
            return "day without a range"
    if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField) \
            and (field.min_value is None or field.max_value is None):
        return "integer without both ends"
    if isinstance(field, forms.DecimalField) and field.max_digits is None:
        return "number without max_digits"
    return None


class FormLimitTests:
    def test_the_forms_are_found(self) -> None:
        names = {form.__name__ for form in form_classes()}
        assert {"ChildForm", "NotificationForm", "LoginForm", "NarrativeForm"} <= names

    def test_every_declared_field_of_every_form_is_bounded(self) -> None:
        found = [f"{form.__module__}.{form.__name__}.{name}: {problem}"
                 for form in form_classes()
                 for name, field in form.base_fields.items()
                 if (problem := unbounded(field))]
        assert found == []

    @pytest.mark.django_db
    def test_every_field_made_at_run_time_is_bounded(self) -> None:
        found = [f"{label}.{name}: {problem}" for label, form in built_forms()
                 for name, field in form.fields.items() if (problem := unbounded(field))]
        assert found == []
