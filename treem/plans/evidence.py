"""How many evidence files a progress report takes (the files themselves are checked and
stored by `treem.ui.uploads`)."""

from django.utils.translation import gettext_lazy as _

MAX_FILES = 10  # a report's evidence
TOO_MANY = _("Mỗi báo cáo có tối đa %(n)s tệp minh chứng.")
