"""Letters of thanks and certificates (`treem.fund.letters`), for the fund's manager: the
donors who gave in a period, each one's letter as a PDF, and a campaign's letters in one PDF
(in parts of 200). Each download is audited; file names carry no name."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.fund import letters, selectors
from treem.fund.models import Campaign, Fund
from treem.ui.dates import DayField
from treem.ui.forms import error_text, form_errors_text
from treem.ui.pagination import CappedPaginator

PAGE_SIZE = 30


class LetterForm(forms.Form):
    start = DayField(label=_("Từ ngày"))
    end = DayField(label=_("Đến ngày"))
    kind = forms.ChoiceField(label=_("Mẫu"), choices=list(letters.KINDS.items()))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", letters.PERIOD_REVERSED)
        return data


def _form(request: AuthedRequest) -> LetterForm:
    """The period and the form asked for; this year so far when nothing is asked."""
    today = timezone.localdate()
    given = {name: request.GET[name] for name in ("start", "end", "kind") if name in request.GET}
    return LetterForm({"start": f"01/01/{today.year}", "end": f"{today:%d/%m/%Y}",
                       "kind": letters.THANKS, **given})


def _pdf(request: AuthedRequest, items: list[letters.Letter], filename: str) -> HttpResponse:
    # Imported on the first PDF: WeasyPrint loads Pango, which no other page needs.
    from treem.ui.pdf import render_pdf

    return render_pdf(request, "fund/letters/letters.html", {"letters": items},
                      filename=filename)


@require_capability(Capability.MANAGE_FUND)
def letters_view(request: AuthedRequest, fund_id: str) -> HttpResponse:
    fund = selectors.get_fund_for_user(user=request.user, fund_id=fund_id, for_write=True)
    form = _form(request)
    page, query, kind = None, "", letters.THANKS
    if form.is_valid():
        start, end, kind = (form.cleaned_data[name] for name in ("start", "end", "kind"))
        donors = letters.donors_with_gifts(fund=fund, start=start, end=end)
        page = CappedPaginator(donors, PAGE_SIZE).get_page(request.GET.get("page"))
        query = urlencode({"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}",
                           "kind": kind})
    return render(request, "fund/letters/index.html", {
        "fund": fund, "form": form, "page": page, "letter_query": query, "kind": kind,
        "campaigns": _campaigns(fund)}, status=200 if form.is_valid() else 400)


def _campaigns(fund: Fund) -> list[tuple[Campaign, range]]:
    """The fund's campaigns of the last two years, each with its parts of letters."""
    since = datetime.date(timezone.localdate().year - 1, 1, 1)
    found = Campaign.objects.filter(fund=fund, ends_on__gte=since).order_by("-starts_on", "id")
    return [(campaign, range(1, letters.parts(campaign) + 1)) for campaign in found]


@require_capability(Capability.MANAGE_FUND)
def letter_pdf_view(request: AuthedRequest, donor_id: str) -> HttpResponse:
    donor = letters.get_donor_for_manager(user=request.user, donor_id=donor_id)
    back = reverse("fund:letters", args=[donor.fund.public_id])
    form = _form(request)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(back)
    data = form.cleaned_data
    try:
        letter = letters.letter_for(donor=donor, start=data["start"], end=data["end"],
                                    kind=data["kind"], today=timezone.localdate())
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(back)
    event_record(actor=request.user, action=Action.EXPORT, obj=donor, unit=donor.fund.unit,
                 fields=["letter", data["kind"]], reason=letter.occasion)
    return _pdf(request, [letter], f"thu-cam-on-{str(donor.public_id)[:8]}.pdf")


@require_capability(Capability.MANAGE_FUND)
def campaign_letters_pdf_view(request: AuthedRequest, campaign_id: str) -> HttpResponse:
    campaign = letters.get_campaign_for_manager(user=request.user, campaign_id=campaign_id)
    kind = request.GET.get("kind", letters.THANKS)
    part = request.GET.get("part", "1")
    try:
        if kind not in letters.KINDS or not part.isdigit() or int(part) < 1:
            raise ValidationError(_("Mẫu thư hoặc phần thư không hợp lệ."))
        items = letters.campaign_letters(campaign=campaign, kind=kind,
                                         today=timezone.localdate(), part=int(part))
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("fund:letters", fund_id=campaign.fund.public_id)
    event_record(actor=request.user, action=Action.EXPORT, obj=campaign,
                 unit=campaign.fund.unit, fields=["letters", kind],
                 reason=f"{len(items)} / {part}")
    return _pdf(request, items, f"thu-cam-on-dot-{str(campaign.public_id)[:8]}-{part}.pdf")
