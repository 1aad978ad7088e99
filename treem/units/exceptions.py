from django.utils.translation import gettext_lazy as _

VILLAGE_PARENT_NOT_COMMUNE = _("Thôn, tổ dân phố chỉ được tạo trong một xã, phường hiện hành.")
VILLAGE_OUT_OF_SCOPE = _("Bạn chỉ được quản lý thôn, tổ dân phố của xã mình.")
VILLAGE_NAME_REQUIRED = _("Hãy nhập tên thôn, tổ dân phố.")
VILLAGE_NAME_TAKEN = _("Xã này đã có thôn, tổ dân phố cùng tên.")
VILLAGE_KIND_INVALID = _("Loại thôn, tổ dân phố không hợp lệ.")
NOT_A_VILLAGE = _("Đơn vị này không phải thôn, tổ dân phố.")
