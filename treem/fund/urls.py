"""The fund's pages: the ledger (`urls_ledger`), the needs list and what answers it
(`urls_needs`), and the public account (`urls_public`, no sign-in)."""

from treem.fund import urls_ledger, urls_needs, urls_public

app_name = "fund"

urlpatterns = [*urls_ledger.urlpatterns, *urls_needs.urlpatterns, *urls_public.urlpatterns]
