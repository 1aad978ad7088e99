"""Pickers that search as one types: a search box and a list of what it found.

A drop-down of every household of a commune (2,188 in the demo, a 122 kB page) or a code to
know by heart (a commune's 5 digits) is no form for a phone. A picker is a search box and a
<select> holding only what the search found:

- with JavaScript, htmx asks the picker's search URL as one types (after a pause) and puts the
  answer, at most PICK_MAX <option>s, into the <select>: the phone's own list to choose from,
  reachable by keyboard and read by screen readers as any select is;
- without it, the form is sent with the search box filled: a text matching one record is that
  record; one matching several gives the form back with the <select> holding them, to choose.

The records a picker may return are its `Source`'s, which a form builds for its user: the
search URL answers through the same source, so it can never offer what the form would refuse.
"""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from treem.lib.limits import SEARCH_MAX

T = TypeVar("T")

PICK_MAX = 20  # the options a search offers: a phone's screen or two
NOT_FOUND = _("Không tìm thấy “%(q)s”. Hãy gõ lại, có dấu hoặc không dấu.")
CHOOSE_ONE = _("Có nhiều kết quả cho “%(q)s”: hãy chọn một trong danh sách.")
NOT_CHOSEN = _("Hãy gõ để tìm rồi chọn trong danh sách.")
NONE_YET = _("— gõ vào ô trên để tìm —")
NONE_CHOSEN = _("— chọn —")
FOUND = _("— %(n)s kết quả: chọn một —")
CHOOSE_LABEL = _("Chọn trong kết quả tìm")
QUERY_TOO_LONG = _("Nội dung tìm quá dài (tối đa %(max)s ký tự).")


@dataclass(frozen=True)
class Option:
    value: str
    label: str


class Source(ABC, Generic[T]):
    """What a picker may offer: a search and a lookup, both limited to what its user may
    choose. Subclasses say how a record is found, named and written in the form."""

    @abstractmethod
    def search(self, q: str) -> Sequence[T]: ...

    @abstractmethod
    def get(self, value: str) -> T | None: ...

    @abstractmethod
    def value_of(self, item: T) -> str: ...

    def label_of(self, item: T) -> str:
        return str(item)

    def options(self, items: Sequence[T]) -> list[Option]:
        return [Option(self.value_of(item), self.label_of(item)) for item in items]


class PickerWidget(forms.Widget):
    """The search box `<name>_q` and the select `<name>` (module doc)."""

    def __init__(self, *, search_url: str = "", placeholder: Any = "",
                 attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.search_url = search_url
        self.placeholder = placeholder
        self.options: list[Option] = []  # set by the field: what the select offers

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str]:
        return (str(data.get(name) or "").strip(), str(data.get(f"{name}_q") or "").strip())

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_q" not in data

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_q" if id_ else id_  # the label names the box one types in

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        chosen, q = value if isinstance(value, tuple) else (str(value or ""), "")
        attrs = self.build_attrs(self.attrs, attrs)
        select_id = attrs.get("id") or f"id_{name}"
        box_id = self.id_for_label(select_id)
        search = format_html(
            '<input type="search" name="{}_q" id="{}" value="{}" placeholder="{}" '
            'autocomplete="off" spellcheck="false" enterkeyhint="search" aria-controls="{}"'
            '{}{}>', name, box_id, q, self.placeholder, select_id,
            format_html(' aria-describedby="{}"', attrs["aria-describedby"])
            if attrs.get("aria-describedby") else "",
            format_html(' hx-get="{}" hx-trigger="input changed delay:300ms, search" '
                        'hx-target="#{}" hx-swap="innerHTML" hx-sync="this:replace"',
                        self.search_url, select_id) if self.search_url else "")
        offered = [option.value for option in self.options]
        options = [(option.value, option.label) for option in self.options]
        if chosen and chosen not in offered:
            options.append((chosen, chosen))  # a refused value stays visible, to be changed
        select = format_html(
            '<label class="visually-hidden" for="{}">{}</label>'
            '<select name="{}" id="{}"{}>{}</select>', select_id, CHOOSE_LABEL, name, select_id,
            mark_safe(' aria-invalid="true"') if attrs.get("aria-invalid") else "",  # noqa: S308
            _option_tags(options, chosen=chosen, empty=NONE_CHOSEN if options else NONE_YET))
        return format_html('<div class="picker">{}{}</div>', search, select)


def _option_tags(options: Sequence[tuple[str, str]], *, chosen: str, empty: Any) -> SafeString:
    first = format_html('<option value="">{}</option>', empty)
    return first + format_html_join(
        "", '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if value == chosen else "", label)  # noqa: S308 - a constant
         for value, label in options))


class PickerField(forms.Field, Generic[T]):
    """A record chosen through a picker; the form gives it its `source` (`configure`)."""

    widget = PickerWidget
    default_error_messages = {"required": NOT_CHOSEN, "invalid_choice": NOT_CHOSEN}

    def __init__(self, *, search_url: str = "", placeholder: Any = "", **kwargs: Any) -> None:
        kwargs.setdefault("widget", PickerWidget(search_url=search_url,
                                                 placeholder=placeholder))
        super().__init__(**kwargs)
        self.source: Source[T] | None = None

    def configure(self, source: Source[T], *, search_url: str | None = None,
                  initial: T | None = None) -> None:
        """Give the field its source (and the option to show before any search)."""
        self.source = source
        widget: PickerWidget = self.widget  # type: ignore[assignment]
        if search_url is not None:
            widget.search_url = search_url
        if initial is not None:
            widget.options = source.options([initial])
            self.initial = source.value_of(initial)

    def prepare_value(self, value: Any) -> Any:
        """A record as the form writes it (its value); what was typed, as typed."""
        if value is None or isinstance(value, (str, tuple)) or self.source is None:
            return value
        return self.source.value_of(value)

    def to_python(self, value: Any) -> Any:
        return self._resolve(value, offer=False)

    def clean(self, value: Any) -> Any:
        item = self._resolve(value, offer=True)
        self.validate(item)
        self.run_validators(item)
        return item

    def _resolve(self, value: Any, *, offer: bool) -> Any:
        """The record chosen (`<name>`), else the one record the search box (`<name>_q`)
        finds; `offer`: the select shows what was found when the form comes back."""
        if value is not None and not isinstance(value, (str, tuple)):
            return value  # a record already (a form's initial value)
        chosen, q = value if isinstance(value, tuple) else (str(value or ""), "")
        if self.source is None:
            raise ValidationError(NOT_CHOSEN, code="required")
        if chosen:
            item = self.source.get(chosen)
            if item is not None:
                if offer:
                    self._offer([item])
                return item
        if not q:
            if chosen:  # a value the user may not choose (or none at all): not found, alike
                raise ValidationError(self.error_messages["invalid_choice"],
                                      code="invalid_choice")
            return None
        if len(q) > SEARCH_MAX:
            raise ValidationError(QUERY_TOO_LONG, code="invalid", params={"max": SEARCH_MAX})
        found = list(self.source.search(q)[:PICK_MAX])
        if offer:
            self._offer(found)
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(NOT_FOUND, code="invalid", params={"q": q})
        raise ValidationError(CHOOSE_ONE, code="invalid", params={"q": q})

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial: Any, data: Any) -> bool:
        chosen, q = data if isinstance(data, tuple) else (str(data or ""), "")
        if q and not chosen:
            return True
        return str(self.prepare_value(initial) or "") != chosen

    def _offer(self, items: Sequence[T]) -> None:
        """What the select holds when the form comes back (found, or the one chosen)."""
        assert self.source is not None
        widget: PickerWidget = self.widget  # type: ignore[assignment]
        widget.options = self.source.options(items)


def picker_query(request: HttpRequest) -> str:
    """The text searched: `q`, or the `<field>_q` box that htmx sends by its own name."""
    q = request.GET.get("q")
    if q is None:
        q = next((str(value) for key, value in request.GET.items() if key.endswith("_q")), "")
    return q.strip()[:SEARCH_MAX]


def picker_results(request: HttpRequest, source: Source[Any]) -> HttpResponse:
    """The options of a search, for htmx to put into a picker's select: the first says how
    many were found (and is chosen, so that nothing is picked unseen)."""
    q = picker_query(request)
    options = source.options(list(source.search(q)[:PICK_MAX])) if q else []
    if not q:
        empty: Any = NONE_YET
    elif not options:
        empty = NOT_FOUND % {"q": q}
    else:
        empty = FOUND % {"n": len(options)}
    return HttpResponse(_option_tags([(o.value, o.label) for o in options], chosen="",
                                     empty=empty))
