"""The fund's public account (no sign-in: the provinces' funds and each one's year, as a page
and as JSON), and what honours donors and reports the year to the province, signed in: the
yearly fund report (page, Excel, PDF) and letters of thanks."""

from django.urls import URLPattern, path, re_path

from treem.fund import letters_views, public_views, yearly_views

# A province's official code (2 digits) and a year: never a name or anything personal.
PROVINCE_YEAR = r"public/(?P<code>\d{2})/(?P<year>\d{4})"

urlpatterns: list[URLPattern] = [
    path("public/", public_views.public_index_view, name="public_index"),
    re_path(rf"^{PROVINCE_YEAR}/$", public_views.public_view, name="public"),
    re_path(rf"^{PROVINCE_YEAR}\.json$", public_views.public_json_view, name="public_json"),
    # The yearly fund report, for the fund's readers
    path("<uuid:fund_id>/yearly/<int:year>/", yearly_views.yearly_view, name="yearly"),
    path("<uuid:fund_id>/yearly/<int:year>.xlsx", yearly_views.yearly_xlsx_view,
         name="yearly_xlsx"),
    path("<uuid:fund_id>/yearly/<int:year>.pdf", yearly_views.yearly_pdf_view,
         name="yearly_pdf"),
    # Attached to the province's yearly report (`yearly_attach`), frozen, and taken off
    path("<uuid:fund_id>/yearly/<int:year>/attach/", yearly_views.yearly_attach_view,
         name="yearly_attach"),
    path("yearly/attached/<uuid:attachment_id>/", yearly_views.yearly_frozen_view,
         name="yearly_frozen"),
    path("yearly/attached/<uuid:attachment_id>/detach/", yearly_views.yearly_detach_view,
         name="yearly_detach"),
    # Letters of thanks, for the fund's manager
    path("<uuid:fund_id>/letters/", letters_views.letters_view, name="letters"),
    path("donors/<uuid:donor_id>/letter.pdf", letters_views.letter_pdf_view,
         name="letter_pdf"),
    path("campaigns/<uuid:campaign_id>/letters.pdf", letters_views.campaign_letters_pdf_view,
         name="campaign_letters_pdf"),
]
