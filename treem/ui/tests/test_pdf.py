"""WeasyPrint's fetcher for treem's PDFs: the project's static files, and nothing else.

The case forms' PDFs themselves are tested in treem/cases/tests/test_pdf.py."""

import pytest
from weasyprint import HTML

from treem.ui import pdf


class StaticFilesFetcherTests:
    BASE = "https://treem.example/"

    def test_it_serves_a_static_file_from_disk(self) -> None:
        response = pdf.OnlyStaticFiles(self.BASE).fetch(
            "https://treem.example/static/treem/treem.css")
        assert response.content_type == "text/css"
        assert b"@media print" in response.read()

    @pytest.mark.parametrize("url", [
        "https://example.org/static/treem/treem.css",      # another site
        "http://treem.example/static/treem/treem.css",     # another scheme of this site
        "https://treem.example/cases/",                    # a page, not a static file
        "https://treem.example/static/treem/missing.css",
        "https://treem.example/static/../settings.py",
        "https://treem.example/static/treem/../../../treem/settings.py",
        "https://treem.example/static/%2e%2e/settings.py",
        "https://treem.example/static//etc/passwd",
        "file:///etc/passwd",
        "data:text/css,body{color:red}",
        "ftp://treem.example/static/treem/treem.css",
    ])
    def test_it_refuses_anything_else(self, url: str) -> None:
        with pytest.raises(ValueError, match="not a static file of treem"):
            pdf.OnlyStaticFiles(self.BASE).fetch(url)

    def test_a_page_naming_outside_resources_renders_without_fetching_them(
            self, no_network) -> None:
        page = ('<link rel="stylesheet" href="https://fonts.example.org/font.css">'
                '<link rel="stylesheet" href="file:///etc/hostname">'
                '<img src="https://tracker.example.org/pixel.png">'
                '<p style="background: url(http://169.254.169.254/latest/)">Nguyễn</p>')
        document = HTML(string=page, base_url=self.BASE,
                        url_fetcher=pdf.OnlyStaticFiles(self.BASE)).render()
        assert document.write_pdf().startswith(b"%PDF-")
        assert no_network == []
