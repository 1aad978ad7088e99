"""The legal deadline of a breach notification, in one place (docs/privacy-law.md §7, VERIFIED).

Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 khoản 1 Điều 23: the controller notifies the
specialised personal-data protection agency "chậm nhất là 72 giờ kể từ khi phát hiện hành vi vi
phạm" — counted from discovery (Nghị định 13/2023 Điều 23 counted from occurrence), so a breach
records when it was found apart from when it happened. Nghị định 356/2025/NĐ-CP Điều 28 lists the
notice's contents and its form, Mẫu số 08. The agency is "đơn vị trực thuộc Bộ Công an" (Nghị định
356 Điều 39 khoản 1): the Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao (A05),
named by the decree's forms, not by an article."""

import datetime

from django.utils.translation import gettext_lazy as _

NOTIFICATION_HOURS = 72
NOTIFICATION_ARTICLE = _("khoản 1 Điều 23 Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15; Điều 28 "
                         "Nghị định số 356/2025/NĐ-CP")
NOTICE_FORM = _("Mẫu số 08 ban hành kèm theo Nghị định số 356/2025/NĐ-CP")
AUTHORITY = _("Cơ quan chuyên trách bảo vệ dữ liệu cá nhân, Bộ Công an (Cục An ninh mạng và "
              "phòng, chống tội phạm sử dụng công nghệ cao — A05)")


def notification_deadline(found_at: datetime.datetime) -> datetime.datetime:
    return found_at + datetime.timedelta(hours=NOTIFICATION_HOURS)
