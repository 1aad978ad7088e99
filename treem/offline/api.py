"""The API the offline app speaks (docs/offline.md), under /api/v1/offline/."""

from ninja import Router

from treem.accounts.authentication import API_AUTH

router = Router(tags=["offline"], auth=API_AUTH)
