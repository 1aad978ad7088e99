"""The commune's side of offline work: the operations waiting for a person, and the phones."""

import uuid

from django.http import HttpRequest, HttpResponse


def review_list_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def review_detail_view(request: HttpRequest, operation_id: uuid.UUID) -> HttpResponse:
    return HttpResponse("")


def device_list_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def device_lost_view(request: HttpRequest, device_id: uuid.UUID) -> HttpResponse:
    return HttpResponse("")
