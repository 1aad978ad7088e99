"""The legal deadline of a breach notification, in one place (docs/privacy-law.md).

Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 Điều 23 (thông báo vi phạm quy định về bảo vệ dữ liệu
cá nhân), detailed by Nghị định 356/2025/NĐ-CP: the controller notifies the specialised
personal-data protection agency — Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ
cao (A05), Bộ Công an — within 72 hours of finding the breach (Nghị định 13/2023 Điều 23 khoản 1
already said 72 hours)."""

import datetime

from django.utils.translation import gettext_lazy as _

NOTIFICATION_HOURS = 72
NOTIFICATION_ARTICLE = _("Điều 23 Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15")
AUTHORITY = _("Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao (A05), "
              "Bộ Công an")


def notification_deadline(found_at: datetime.datetime) -> datetime.datetime:
    return found_at + datetime.timedelta(hours=NOTIFICATION_HOURS)
