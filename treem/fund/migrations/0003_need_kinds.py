"""The kinds of need the local plans name (Hải Phòng's and Sơn La's: health checks,
treatment, meals, school, scholarships, legal aid, counselling, a commune's playground), each
with the register's kind of support it is the same as. A province adds its own as data."""

from django.db import migrations

KINDS = [
    # code, label, register support kind, for a child
    ("health_check", "Khám sức khỏe", "health", True),
    ("treatment", "Khám, chữa bệnh", "health", True),
    ("meals", "Bữa ăn, dinh dưỡng", "in_kind", True),
    ("school", "Đồ dùng, chi phí đi học", "education", True),
    ("scholarship", "Học bổng", "education", True),
    ("legal_aid", "Trợ giúp pháp lý", "legal", True),
    ("counselling", "Tư vấn, trị liệu tâm lý", "counselling", True),
    ("gift", "Quà Tết, Trung thu, 1/6", "in_kind", True),
    ("playground", "Thiết bị điểm vui chơi của xã", "other", False),
    ("other", "Nhu cầu khác", "other", True),
]


def add(apps, schema_editor):
    NeedKind = apps.get_model("fund", "NeedKind")
    NeedKind.objects.bulk_create([
        NeedKind(code=code, label=label, support_kind=support, for_child=for_child,
                 position=position)
        for position, (code, label, support, for_child) in enumerate(KINDS)])


def remove(apps, schema_editor):
    apps.get_model("fund", "NeedKind").objects.filter(
        code__in=[code for code, *_rest in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("fund", "0002_needs_allocations")]
    operations = [migrations.RunPython(add, remove)]
