"""The toolkit every page of every app may use: form helpers, pagination, downloads and PDFs.

It knows nothing of the domain (no treem app below it but `lib`), so that it sits under the
apps; the shell on top (`treem.web`) is what knows every app.
"""
