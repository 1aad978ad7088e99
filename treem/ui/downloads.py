"""Files the pages hand out (Excel lists, templates, PDFs, DHIS2 documents): named without
personal data, and kept by neither the browser nor a proxy, since many hold children's data
and offices share computers."""

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
JSON = "application/json"


def attachment(content: bytes | str, *, filename: str, content_type: str = XLSX) -> HttpResponse:
    """`content` as a download named `filename`, which must hold no personal data."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
