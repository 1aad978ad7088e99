"""What every uploaded file records besides the file itself (progress evidence, a plan's
documents, an activity's photos and sheets, a fund delivery's proof): the name it came with,
its checked type and size, who uploaded it and when. The files are checked and stored by
`treem.ui.uploads`; each model names its own folder (`upload_to`)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name
