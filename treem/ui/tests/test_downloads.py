"""Every file handed out is an attachment no cache keeps (children's data on shared computers)."""

from treem.ui.downloads import XLSX, attachment


class AttachmentTests:
    def test_a_download_is_named_and_never_cached(self) -> None:
        response = attachment(b"PK", filename="tre-em-20261124.xlsx")
        assert response["Content-Type"] == XLSX
        assert response["Content-Disposition"] == 'attachment; filename="tre-em-20261124.xlsx"'
        assert response["Cache-Control"] == "no-store"
        assert response.content == b"PK"
