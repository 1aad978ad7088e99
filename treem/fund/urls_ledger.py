"""The fund's ledger pages: a fund's balances, donors, money and goods received, campaigns,
pledges, the journal and its reversals, the bank statement's import, areas and priority rules,
the accountant's workbook and the reconciliation."""

from django.urls import URLPattern, path

from treem.fund import (
    ledger_views,
    ledger_views_areas,
    ledger_views_gifts,
    ledger_views_journal,
    ledger_views_returns,
)

urlpatterns: list[URLPattern] = [
    path("", ledger_views.home_view, name="home"),
    path("<uuid:fund_id>/", ledger_views.fund_detail_view, name="fund_detail"),
    # Donors
    path("<uuid:fund_id>/donors/", ledger_views.donor_list_view, name="donor_list"),
    path("<uuid:fund_id>/donors/search/", ledger_views.donor_search_view, name="donor_search"),
    path("<uuid:fund_id>/donors/new/", ledger_views.donor_create_view, name="donor_create"),
    path("donors/<uuid:donor_id>/", ledger_views.donor_detail_view, name="donor_detail"),
    # What donors give
    path("<uuid:fund_id>/receipts/", ledger_views_gifts.receipt_list_view, name="receipt_list"),
    path("<uuid:fund_id>/receipts/new/", ledger_views_gifts.receipt_create_view,
         name="receipt_create"),
    path("<uuid:fund_id>/goods/", ledger_views_gifts.lot_list_view, name="lot_list"),
    path("<uuid:fund_id>/goods/new/", ledger_views_gifts.lot_create_view, name="lot_create"),
    path("<uuid:fund_id>/campaigns/", ledger_views_gifts.campaign_list_view,
         name="campaign_list"),
    path("<uuid:fund_id>/campaigns/new/", ledger_views_gifts.campaign_create_view,
         name="campaign_create"),
    path("<uuid:fund_id>/pledges/", ledger_views_gifts.pledge_list_view, name="pledge_list"),
    path("<uuid:fund_id>/pledges/new/", ledger_views_gifts.pledge_create_view,
         name="pledge_create"),
    path("pledges/<uuid:pledge_id>/close/", ledger_views_gifts.pledge_close_view,
         name="pledge_close"),
    # The journal
    path("<uuid:fund_id>/journal/", ledger_views_journal.journal_list_view,
         name="journal_list"),
    path("journal/<uuid:journal_id>/", ledger_views_journal.journal_detail_view,
         name="journal_detail"),
    path("journal/<uuid:journal_id>/reverse/", ledger_views_journal.journal_reverse_view,
         name="journal_reverse"),
    path("<uuid:fund_id>/statement/", ledger_views_journal.statement_import_view,
         name="statement_import"),
    path("<uuid:fund_id>/journal.xlsx", ledger_views_journal.journal_export_view,
         name="journal_export"),
    path("<uuid:fund_id>/reconciliation/", ledger_views_journal.reconciliation_view,
         name="reconciliation"),
    # Areas and the needs list's priority rules
    path("<uuid:fund_id>/areas/", ledger_views_areas.area_list_view, name="area_list"),
    path("<uuid:fund_id>/areas/new/", ledger_views_areas.area_create_view, name="area_create"),
    path("<uuid:fund_id>/rules/", ledger_views_areas.rule_list_view, name="rule_list"),
    path("<uuid:fund_id>/rules/set/", ledger_views_areas.rule_set_view, name="rule_set"),
    # An area edited; money given back to a donor
    path("<uuid:fund_id>/areas/<int:area_id>/edit/", ledger_views_areas.area_update_view,
         name="area_update"),
    path("<uuid:fund_id>/returns/new/", ledger_views_returns.money_return_view,
         name="money_return"),
]
