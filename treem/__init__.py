"""treem: child protection for Vietnam's communes, districts and provinces."""

import os

# python-docx (the Word dossier) brings lxml. openpyxl and pygal switch to lxml silently when it
# is importable, and they were built, hardened (treem/registry/importing: XML bombs, cell
# lengths) and measured on the standard library's parser: keep them there, whatever else the
# environment holds.
os.environ.setdefault("OPENPYXL_LXML", "False")
os.environ.setdefault("NO_LXML", "1")
