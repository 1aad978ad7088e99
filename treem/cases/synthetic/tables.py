"""What synthetic reports and cases look like: the mixes of forms, places, channels, ages,
perpetrators and the wording of the records, as weighted tables.

The shares are plausible orders of magnitude for what communes and the 111 hotline receive
(violence and neglect most often, sexual abuse a large share, trafficking rare; abuse mostly
within the family), not official statistics. The texts are invented and name nobody: they are
what an officer would write, in the words of the forms.
"""

from collections.abc import Iterable
from typing import TypeVar

from treem.cases.choices import AbuseForm as F
from treem.cases.choices import Channel as C
from treem.cases.choices import Perpetrator as P
from treem.cases.choices import Place as L
from treem.cases.choices import Service as S
from treem.registry.synthetic.picker import Picker

T = TypeVar("T")


def _picker(weighted: Iterable[tuple[T, float]]) -> Picker[T]:
    """A picker whose choices are plain strings, not members of the choices' enum, so that
    the database driver writes them as they are."""
    return Picker((str(item) if isinstance(item, str) else item, weight)  # type: ignore[misc]
                  for item, weight in weighted)


# --- The report -----------------------------------------------------------------------------

FORM = _picker([(F.VIOLENCE, 36), (F.NEGLECT, 22), (F.SEXUAL_ABUSE, 18), (F.OTHER, 8),
               (F.EXPLOITATION, 7), (F.ABANDONMENT, 6), (F.TRAFFICKING, 1.5)])
# A second form reported with the first (beaten and left without food, abused and beaten…).
SECOND_FORM: dict[str, tuple[float, Picker[str]]] = {
    F.VIOLENCE: (0.14, _picker([(F.NEGLECT, 70), (F.SEXUAL_ABUSE, 10), (F.EXPLOITATION, 20)])),
    F.NEGLECT: (0.12, _picker([(F.VIOLENCE, 80), (F.ABANDONMENT, 20)])),
    F.SEXUAL_ABUSE: (0.10, _picker([(F.VIOLENCE, 80), (F.EXPLOITATION, 20)])),
    F.EXPLOITATION: (0.15, _picker([(F.VIOLENCE, 50), (F.NEGLECT, 50)])),
    F.TRAFFICKING: (0.30, _picker([(F.SEXUAL_ABUSE, 50), (F.EXPLOITATION, 50)])),
    F.ABANDONMENT: (0.10, _picker([(F.NEGLECT, 100)])),
    F.OTHER: (0.0, _picker([(F.VIOLENCE, 1)])),
}

# Relative weight of the child's age at receipt (0–17 years) for each form, in age bands.
_BANDS = ((0, 0), (1, 2), (3, 5), (6, 10), (11, 15), (16, 17))


def _by_age(*weights: float) -> tuple[float, ...]:
    ages = []
    for age in range(18):
        band = next(i for i, (low, high) in enumerate(_BANDS) if low <= age <= high)
        ages.append(weights[band])
    return tuple(ages)


AGE_WEIGHT: dict[str, tuple[float, ...]] = {
    F.VIOLENCE: _by_age(1, 2, 5, 10, 12, 6),
    F.NEGLECT: _by_age(10, 10, 10, 8, 4, 1),
    F.SEXUAL_ABUSE: _by_age(0.1, 0.3, 2, 6, 14, 6),
    F.TRAFFICKING: _by_age(0.5, 0.3, 0.2, 0.3, 4, 8),
    F.EXPLOITATION: _by_age(0, 0, 0.2, 1.5, 8, 10),
    F.ABANDONMENT: _by_age(20, 4, 2, 1.5, 1, 0.5),
    F.OTHER: _by_age(0.5, 0.5, 1, 4, 8, 5),
}
# Relative weight of a girl and a boy (most sexually abused and trafficked children are girls).
SEX_WEIGHT: dict[str, tuple[float, float]] = {
    F.VIOLENCE: (0.9, 1.1), F.NEGLECT: (1.0, 1.0), F.SEXUAL_ABUSE: (9.0, 1.0),
    F.TRAFFICKING: (4.0, 1.0), F.EXPLOITATION: (0.8, 1.2), F.ABANDONMENT: (1.1, 1.0),
    F.OTHER: (1.0, 1.0),
}

PLACE: dict[str, Picker[str]] = {
    F.VIOLENCE: _picker([(L.FAMILY, 62), (L.SCHOOL, 16), (L.COMMUNITY, 17), (L.ONLINE, 3),
                        (L.CARE_FACILITY, 1), (L.OTHER, 1)]),
    F.NEGLECT: _picker([(L.FAMILY, 93), (L.COMMUNITY, 4), (L.CARE_FACILITY, 2), (L.OTHER, 1)]),
    F.SEXUAL_ABUSE: _picker([(L.COMMUNITY, 42), (L.FAMILY, 28), (L.ONLINE, 14), (L.SCHOOL, 10),
                            (L.CARE_FACILITY, 1), (L.OTHER, 5)]),
    F.TRAFFICKING: _picker([(L.COMMUNITY, 50), (L.ONLINE, 40), (L.FAMILY, 8), (L.OTHER, 2)]),
    F.EXPLOITATION: _picker([(L.COMMUNITY, 60), (L.FAMILY, 20), (L.ONLINE, 12), (L.OTHER, 8)]),
    F.ABANDONMENT: _picker([(L.COMMUNITY, 60), (L.FAMILY, 35), (L.CARE_FACILITY, 3),
                           (L.OTHER, 2)]),
    F.OTHER: _picker([(L.ONLINE, 40), (L.SCHOOL, 25), (L.COMMUNITY, 20), (L.FAMILY, 15)]),
}
# The youngest age at which a child is abused at school or online.
YOUNGEST_AT: dict[str, int] = {L.SCHOOL: 3, L.ONLINE: 8}

_CHANNELS: dict[str, float] = {
    C.HOTLINE: 26, C.PHONE: 14, C.VISIT: 18, C.POLICE: 10, C.SCHOOL: 9, C.HEALTH: 6,
    C.ONLINE: 6, C.OTHER: 4}
# Who tends to report what: the school what happens there, the police and hospitals sexual
# abuse, trafficking and abandoned babies, the hotline and the internet what happens online.
_CHANNEL_FACTORS: dict[str, dict[str, float]] = {
    L.SCHOOL: {C.SCHOOL: 5}, L.ONLINE: {C.ONLINE: 3, C.HOTLINE: 1.5},
    F.SEXUAL_ABUSE: {C.POLICE: 2.5, C.HEALTH: 2}, F.TRAFFICKING: {C.POLICE: 5},
    F.ABANDONMENT: {C.HEALTH: 3, C.POLICE: 2}, F.NEGLECT: {C.VISIT: 1.5, C.PHONE: 1.3},
}
CHANNEL: dict[tuple[str, str], Picker[str]] = {}
for _form in F.values:
    for _place in L.values:
        _weights = dict(_CHANNELS)
        for _key in (_form, _place):
            for _channel, _factor in _CHANNEL_FACTORS.get(_key, {}).items():
                _weights[_channel] *= _factor
        CHANNEL[_form, _place] = _picker(_weights.items())

# Channels received at the commune's office hours; the others at any hour.
OFFICE_CHANNELS = frozenset({C.VISIT, C.SCHOOL, C.PHONE})
# Hour of the day for the channels that run day and night: more calls in the evening.
ANY_HOUR = _picker([(hour, weight) for hour, weight in enumerate(
    (1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 3, 4, 4, 4, 3, 3, 4, 4, 4, 4, 5, 6, 6, 5, 3, 2))])

URGENT: dict[str, float] = {
    F.SEXUAL_ABUSE: 0.45, F.TRAFFICKING: 0.7, F.ABANDONMENT: 0.6, F.VIOLENCE: 0.14,
    F.EXPLOITATION: 0.2, F.NEGLECT: 0.08, F.OTHER: 0.05}
CRIME: dict[str, float] = {
    F.SEXUAL_ABUSE: 0.92, F.TRAFFICKING: 0.98, F.EXPLOITATION: 0.35, F.ABANDONMENT: 0.4,
    F.VIOLENCE: 0.22, F.NEGLECT: 0.03, F.OTHER: 0.05}
ANONYMOUS: dict[str, float] = {
    C.HOTLINE: 0.38, C.ONLINE: 0.55, C.PHONE: 0.25, C.VISIT: 0.05, C.OTHER: 0.2, C.POLICE: 0.0,
    C.SCHOOL: 0.0, C.HEALTH: 0.0}
# Share of reports found true on verification (Điều 26): the higher the source's own checks,
# the more; anonymous reports a little less.
CONFIRMED: dict[str, float] = {
    C.POLICE: 0.95, C.HEALTH: 0.93, C.SCHOOL: 0.88, C.VISIT: 0.85, C.PHONE: 0.78,
    C.HOTLINE: 0.74, C.ONLINE: 0.6, C.OTHER: 0.75}

RELATION: dict[str, Picker[str]] = {
    C.POLICE: _picker([("Công an xã", 80), ("Công an tỉnh", 20)]),
    C.SCHOOL: _picker([("Giáo viên chủ nhiệm", 60), ("Ban giám hiệu nhà trường", 25),
                      ("Nhân viên y tế trường học", 15)]),
    C.HEALTH: _picker([("Bác sĩ điều trị", 50), ("Nhân viên Trạm Y tế xã", 35),
                      ("Điều dưỡng", 15)]),
}
RELATION_OTHER = _picker([("Hàng xóm", 35), ("Người thân", 15), ("Mẹ của trẻ", 10),
                         ("Trưởng thôn", 10), ("Cộng tác viên thôn", 8), ("Người dân", 10),
                         ("Bạn của trẻ", 4), ("Trẻ tự báo", 4), ("Cha của trẻ", 4)])

# Days between what happened and the report, by form: (share unknown, bands of (low, high,
# weight)). Sexual abuse is often told long after; neglect goes on without a day.
HAPPENED_BEFORE: dict[str, tuple[float, Picker[tuple[int, int]]]] = {
    F.VIOLENCE: (0.05, _picker([((0, 3), 70), ((4, 30), 30)])),
    F.NEGLECT: (0.4, _picker([((0, 7), 30), ((8, 60), 70)])),
    F.SEXUAL_ABUSE: (0.08, _picker([((0, 7), 40), ((8, 90), 40), ((91, 365), 20)])),
    F.TRAFFICKING: (0.1, _picker([((1, 60), 100)])),
    F.EXPLOITATION: (0.3, _picker([((0, 30), 50), ((31, 120), 50)])),
    F.ABANDONMENT: (0.05, _picker([((0, 2), 100)])),
    F.OTHER: (0.15, _picker([((0, 30), 100)])),
}

# --- Who harmed the child, known once the report is verified ----------------------------------

_Weights = list[tuple[str, float]]
_FAMILY: dict[str, _Weights] = {
    F.VIOLENCE: [(P.PARENT, 62), (P.STEP_PARENT, 14), (P.RELATIVE, 12), (P.CAREGIVER, 8),
                 (P.CHILD, 4)],
    F.SEXUAL_ABUSE: [(P.RELATIVE, 38), (P.STEP_PARENT, 30), (P.PARENT, 12), (P.CAREGIVER, 5),
                     (P.ACQUAINTANCE, 10), (P.CHILD, 5)],
    F.EXPLOITATION: [(P.PARENT, 70), (P.RELATIVE, 20), (P.STEP_PARENT, 10)],
    F.TRAFFICKING: [(P.RELATIVE, 50), (P.PARENT, 30), (P.ACQUAINTANCE, 20)],
    F.OTHER: [(P.PARENT, 60), (P.RELATIVE, 20), (P.STEP_PARENT, 10), (P.CHILD, 10)],
}
_CARERS: _Weights = [(P.PARENT, 85), (P.CAREGIVER, 8), (P.RELATIVE, 5), (P.STEP_PARENT, 2)]
_COMMUNITY: dict[str, _Weights] = {
    F.VIOLENCE: [(P.CHILD, 40), (P.ACQUAINTANCE, 35), (P.STRANGER, 20), (P.RELATIVE, 5)],
    F.SEXUAL_ABUSE: [(P.ACQUAINTANCE, 50), (P.STRANGER, 25), (P.CHILD, 15), (P.RELATIVE, 10)],
    F.TRAFFICKING: [(P.ACQUAINTANCE, 55), (P.STRANGER, 45)],
    F.EXPLOITATION: [(P.ACQUAINTANCE, 50), (P.STRANGER, 30), (P.RELATIVE, 20)],
    F.OTHER: [(P.CHILD, 40), (P.ACQUAINTANCE, 30), (P.STRANGER, 30)],
}
_SCHOOL: _Weights = [(P.TEACHER, 35), (P.CHILD, 60), (P.ACQUAINTANCE, 5)]
_SCHOOL_SEXUAL: _Weights = [(P.TEACHER, 50), (P.CHILD, 30), (P.ACQUAINTANCE, 20)]
_ONLINE: _Weights = [(P.STRANGER, 55), (P.ACQUAINTANCE, 30), (P.CHILD, 15)]
_FACILITY: _Weights = [(P.CAREGIVER, 70), (P.CHILD, 30)]
_OTHER: _Weights = [(P.UNKNOWN, 40), (P.ACQUAINTANCE, 30), (P.STRANGER, 30)]
UNKNOWN_PERPETRATOR = 0.06


def _perpetrators(form: str, place: str) -> _Weights:
    if form in (F.NEGLECT, F.ABANDONMENT):
        return _CARERS if place in (L.FAMILY, L.OTHER) else [(P.PARENT, 80), (P.UNKNOWN, 20)]
    if place == L.FAMILY:
        return _FAMILY[form]
    if place == L.COMMUNITY:
        return _COMMUNITY[form]
    if place == L.SCHOOL:
        return _SCHOOL_SEXUAL if form == F.SEXUAL_ABUSE else _SCHOOL
    if place == L.ONLINE:
        return _ONLINE
    if place == L.CARE_FACILITY:
        return _FACILITY
    return _OTHER


PERPETRATOR = {(form, place): _picker(_perpetrators(form, place))
               for form in F.values for place in L.values}
# Who may be kept away from the child by a temporary separation (Điều 32): the carers.
CARERS = frozenset({P.PARENT, P.STEP_PARENT, P.CAREGIVER, P.RELATIVE})

# --- The words of the records ------------------------------------------------------------------

DESCRIPTION: dict[tuple[str, str], tuple[str, ...]] = {
    (F.VIOLENCE, L.FAMILY): (
        "Hàng xóm nhiều lần nghe trẻ bị đánh, kêu khóc vào buổi tối.",
        "Trẻ đến lớp với nhiều vết bầm tím trên tay và lưng.",
        "Người cha say rượu thường xuyên đánh đập trẻ.",
        "Trẻ bị người nhà đánh bằng roi, bỏ nhà đi sang nhà hàng xóm."),
    (F.VIOLENCE, L.SCHOOL): (
        "Trẻ bị nhóm bạn cùng lớp đánh hội đồng sau giờ học.",
        "Trẻ bị giáo viên phạt đánh, có vết thương ở tay."),
    (F.VIOLENCE, L.COMMUNITY): (
        "Trẻ bị một nhóm thanh niên trong thôn đánh khi đi học về.",
        "Trẻ bị người quen đánh, phải đưa đi trạm y tế."),
    (F.NEGLECT, L.FAMILY): (
        "Trẻ thường xuyên ở nhà một mình, không được ăn uống đầy đủ.",
        "Cha mẹ đi làm ăn xa, trẻ sống một mình, không ai chăm sóc.",
        "Trẻ nhỏ bị bỏ mặc, ốm không được đưa đi khám."),
    (F.SEXUAL_ABUSE, L.FAMILY): (
        "Trẻ kể với cô giáo bị người trong gia đình có hành vi dâm ô.",
        "Mẹ phát hiện trẻ bị người thân xâm hại, đã báo công an."),
    (F.SEXUAL_ABUSE, L.COMMUNITY): (
        "Giáo viên phát hiện dấu hiệu trẻ bị xâm hại, trẻ sợ hãi, bỏ học.",
        "Trẻ bị người quen trong thôn dụ dỗ, xâm hại.",
        "Trẻ bị một người đàn ông lạ có hành vi dâm ô trên đường đi học."),
    (F.SEXUAL_ABUSE, L.ONLINE): (
        "Trẻ bị người quen qua mạng xã hội dụ dỗ gửi ảnh nhạy cảm, đe dọa phát tán.",),
    (F.SEXUAL_ABUSE, L.SCHOOL): (
        "Học sinh phản ánh bị nhân viên nhà trường có hành vi dâm ô.",),
    (F.TRAFFICKING, L.COMMUNITY): (
        "Trẻ được người quen rủ đi làm ở tỉnh khác, gia đình mất liên lạc.",
        "Trẻ nghi bị đưa qua biên giới, gia đình nhờ công an tìm kiếm."),
    (F.TRAFFICKING, L.ONLINE): (
        "Trẻ quen người lạ qua mạng, được hứa việc làm lương cao rồi mất liên lạc.",),
    (F.EXPLOITATION, L.COMMUNITY): (
        "Trẻ bỏ học, làm thuê nặng nhọc ở xưởng gỗ trong xã.",
        "Trẻ bị bắt đi bán hàng rong, xin tiền đến khuya."),
    (F.EXPLOITATION, L.FAMILY): (
        "Trẻ phải nghỉ học làm việc nặng để phụ giúp gia đình.",),
    (F.ABANDONMENT, L.COMMUNITY): (
        "Người dân phát hiện trẻ sơ sinh bị bỏ rơi trước cổng chùa.",
        "Trẻ nhỏ bị bỏ lại ở chợ, không ai nhận."),
    (F.ABANDONMENT, L.FAMILY): (
        "Cha mẹ bỏ đi, để trẻ lại cho ông bà đã già yếu.",),
    (F.OTHER, L.ONLINE): (
        "Trẻ bị đe dọa, bắt nạt trên mạng xã hội.",
        "Trẻ bị lôi kéo chơi cờ bạc trực tuyến."),
    (F.OTHER, L.SCHOOL): ("Trẻ bị bạn bè cô lập, chế giễu kéo dài ở trường.",),
}
DESCRIPTION_ANY = ("Người báo tin cho biết trẻ đang gặp nguy cơ bị tổn hại, cần kiểm tra.",
                   "Trẻ có biểu hiện sợ hãi, thu mình, nghi bị xâm hại.")
CONDITION = ("Trẻ có vết bầm tím, sợ hãi.", "Trẻ mệt mỏi, gầy yếu.",
             "Trẻ hoảng loạn, không muốn về nhà.", "Trẻ đang được người thân chăm sóc.",
             "Chưa rõ.")
CONSEQUENCE = ("Trẻ có thể tiếp tục bị xâm hại.", "Trẻ có thể bỏ học.",
               "Sức khỏe, tâm lý của trẻ bị ảnh hưởng lâu dài.")
FAMILY_SITUATION = ("Hộ nghèo, cha mẹ làm nông.", "Cha mẹ ly hôn, trẻ sống với mẹ.",
                    "Cha mẹ đi làm ăn xa, trẻ ở với ông bà.", "Gia đình đông con.",
                    "Cha nghiện rượu.")
ACTIONS_BEFORE = ("Hàng xóm đã can ngăn.", "Nhà trường đã mời gia đình lên làm việc.",
                  "Chưa có.")
FINDINGS = ("Đã gặp trẻ, gia đình và trưởng thôn; thông tin báo tin là đúng.",
            "Đã kiểm tra tại nhà, trẻ có dấu hiệu bị tổn hại.",
            "Đã phối hợp công an xã xác minh, có dấu hiệu vi phạm.")
NOT_FOUND = ("Đã gặp trẻ và gia đình; không có dấu hiệu xâm hại như nội dung báo tin.",
             "Xác minh tại thôn: thông tin báo tin không chính xác.")
DETAILED = {
    "condition": ("Trẻ còn sợ hãi, ngủ kém.", "Sức khỏe ổn định, tâm lý còn lo lắng.",
                  "Trẻ có vết thương đã được điều trị."),
    "family": ("Cha mẹ chưa có kỹ năng bảo vệ trẻ.", "Mẹ quan tâm, cha thường vắng nhà.",
               "Ông bà chăm sóc, điều kiện kinh tế khó khăn."),
    "factors": ("Người gây hại vẫn sống gần trẻ.", "Trẻ thường ở nhà một mình.",
                "Gia đình chưa nhận thức được nguy cơ."),
    "schooling": ("Trẻ đi học đều, học lực trung bình.", "Trẻ nghỉ học nhiều ngày.",
                  "Trẻ chưa đến tuổi đi học."),
    "community": ("Trưởng thôn, hàng xóm sẵn sàng hỗ trợ.",
                  "Cộng đồng ít quan tâm, thôn ở xa trung tâm xã."),
    "needs": ("Tư vấn tâm lý, hỗ trợ học tập.", "Khám, điều trị y tế và trợ giúp pháp lý.",
              "Trợ giúp xã hội, hỗ trợ gia đình."),
    "child_views": ("Trẻ muốn được đi học và ở cùng mẹ.", "Trẻ muốn được an toàn.", ""),
    "carer_views": ("Gia đình đồng ý phối hợp thực hiện kế hoạch.", ""),
}
REVIEW_NOTES = ("Trẻ đã ổn định, đi học đều.", "Gia đình đã thay đổi cách chăm sóc trẻ.",
                "Trẻ còn lo lắng, cần tiếp tục theo dõi.", "")
GOALS = ("Trẻ được bảo đảm an toàn, không bị xâm hại trở lại.",
         "Trẻ ổn định tâm lý, sức khỏe và trở lại học tập bình thường.",
         "Gia đình có kỹ năng chăm sóc, bảo vệ trẻ, không dùng bạo lực.")
# (task, who carries it out, cost range in thousand đồng)
PLAN_TASKS: tuple[tuple[str, str, tuple[int, int]], ...] = (
    ("Tư vấn, hỗ trợ tâm lý cho trẻ và gia đình", "Trung tâm Công tác xã hội tỉnh", (0, 2000)),
    ("Khám, điều trị sức khỏe cho trẻ", "Trạm Y tế xã", (0, 1500)),
    ("Hỗ trợ trẻ trở lại trường, theo dõi việc học", "Nhà trường", (0, 500)),
    ("Thăm gia đình định kỳ, theo dõi an toàn của trẻ", "Công chức văn hóa - xã hội xã", (0, 0)),
    ("Hướng dẫn cha mẹ kỹ năng chăm sóc, giáo dục con không dùng bạo lực",
     "Hội Liên hiệp Phụ nữ xã", (0, 500)),
    ("Trợ giúp pháp lý cho trẻ và gia đình", "Trung tâm Trợ giúp pháp lý nhà nước tỉnh", (0, 0)),
    ("Hỗ trợ tiền ăn, đồ dùng học tập", "UBND xã", (500, 3000)),
)
RETURN_NOTES = ("Đề nghị bổ sung nguồn lực, thời gian thực hiện.",
                "Đề nghị làm rõ trách nhiệm từng cơ quan.")

MEASURES = ("Đưa trẻ đến Trạm Y tế xã kiểm tra, sơ cứu.",
            "Phối hợp Công an xã ngăn chặn hành vi xâm hại, bảo vệ trẻ.",
            "Đưa trẻ về ở tạm nhà người thân an toàn.",
            "Đưa trẻ đi khám, điều trị tại bệnh viện.")
SEPARATION = "Tạm thời cách ly trẻ khỏi người gây tổn hại (Mẫu số 07)."
CARE_PLACES = ("Nhà ông bà nội của trẻ", "Nhà ông bà ngoại của trẻ", "Nhà tạm lánh của xã",
               "Trung tâm Công tác xã hội tỉnh", "Gia đình nhận chăm sóc thay thế trong thôn")
# Whom the decision keeps away from the child, by the perpetrator's relation (one of CARERS).
SEPARATED_FROM: dict[str, str] = {P.PARENT: "Cha đẻ của trẻ", P.STEP_PARENT: "Cha dượng của trẻ",
                  P.CAREGIVER: "Người chăm sóc trẻ", P.RELATIVE: "Người thân sống cùng trẻ"}
ALTERNATIVE_CARERS = ("Bà nội của trẻ", "Bà ngoại của trẻ", "Cô ruột của trẻ",
                      "Cán bộ Trung tâm Công tác xã hội tỉnh")
SEPARATION_ENDS = ("Cha mẹ đã được đánh giá bảo đảm an toàn cho trẻ.",
                   "Trẻ được chuyển về sống cùng người thân.")
AUTHORITY_REQUEST = "Theo đề nghị của Cơ quan Cảnh sát điều tra Công an tỉnh."

# Services asked of other bodies: in the first hours, and while the plan runs.
EMERGENCY_SERVICES: dict[str, tuple[tuple[str, float], ...]] = {
    F.SEXUAL_ABUSE: ((S.POLICE, 0.6), (S.HEALTH, 0.5)),
    F.TRAFFICKING: ((S.POLICE, 0.8),),
    F.VIOLENCE: ((S.HEALTH, 0.35), (S.POLICE, 0.2)),
    F.ABANDONMENT: ((S.HEALTH, 0.5), (S.SHELTER, 0.3)),
    F.EXPLOITATION: ((S.POLICE, 0.3),),
}
PLAN_SERVICES = _picker([(S.COUNSELLING, 35), (S.EDUCATION, 20), (S.SOCIAL_ASSISTANCE, 20),
                        (S.LEGAL_AID, 12), (S.HEALTH, 10), (S.OTHER, 3)])
REFERRAL_NOTES: dict[str, str] = {S.POLICE: "Đề nghị xác minh, xử lý hành vi vi phạm.",
                  S.HEALTH: "Đề nghị khám, điều trị, giám định tổn thương.",
                  S.COUNSELLING: "Đề nghị tư vấn, trị liệu tâm lý cho trẻ.",
                  S.LEGAL_AID: "Đề nghị trợ giúp pháp lý cho trẻ và gia đình.",
                  S.EDUCATION: "Đề nghị hỗ trợ trẻ trở lại trường.",
                  S.SOCIAL_ASSISTANCE: "Đề nghị xem xét trợ giúp xã hội.",
                  S.SHELTER: "Đề nghị tiếp nhận trẻ tạm thời.", S.OTHER: "Đề nghị phối hợp."}
REFERRAL_RESULTS = ("Đã thực hiện theo đề nghị.", "Trẻ đã được hỗ trợ, tình trạng ổn định.",
                    "Đã hoàn thành, gửi kết quả về UBND xã.")
DECLINED = "Không thuộc thẩm quyền, đề nghị chuyển cơ quan khác."
