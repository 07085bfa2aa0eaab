"""The words and counting rules of the statistics, stated once.

Every screen, export and command takes its headings, row names and the sentence that
says how a figure is counted from here. The default mappings (a desk category's label
→ a row of an official table) apply only to an item the administrator has not mapped
yet (``stat_mapping``); a report that is filed freezes the mapping it used.
"""

from __future__ import annotations

from mediation.i18n import N_, _

# ---------------------------------------------------------------- 人民调解案件统计表: the 15 rows
MOJ_ROWS: dict[str, str] = {
    "marriage": "婚姻家庭",
    "neighbour": "邻里",
    "housing": "房屋宅基地",
    "contract": "合同",
    "business": "生产经营",
    "damages": "损害赔偿",
    "land": "山林土地",
    "demolition": "征地拆迁",
    "environment": "环境污染",
    "labour": "劳动争议",
    "consumer": "消费",
    "medical": "医疗",
    "traffic": "道路交通事故",
    "property": "物业",
    "other": "其他",
}
"""The Ministry of Justice's 15 dispute types, in the order the table prints them (the
printed words are the official ones in every UI language)."""
OTHER = "other"

# How a desk's source counts in the people's table (受理 其中 …).
PEOPLE_SOURCES: dict[str, str] = {
    "active": "主动调解",
    "application": "依申请调解",
    "entrusted": "接受委托移送调解",
}
# The police table's rows.
POLICE_SOURCES: dict[str, str] = {
    "call110": "110警情转交",
    "walk_in": "来所",
    "school": "学校转交",
    "other": "其他",
}
# The campus table's default rows (an administrator maps sub-types onto them; a code
# used in a mapping that is not listed here becomes a row of its own).
CAMPUS_ROWS: dict[str, str] = {
    "dorm": "宿舍",
    "romance": "恋爱/感情",
    "theft": "盗窃及财物损坏",
    "fraud": "电信网络诈骗转介",
    "traffic": "校内交通/骑车碰撞",
    "consumer": "消费/租房/兼职",
    "injury": "人身轻微伤害",
    "other": "其他",
}

# Party type (当事人类别), recorded at intake for each party.
OWN_STUDENT = "own_student"
OTHER_STUDENT = "other_student"
STAFF = "staff"
PUBLIC = "public"
PARTY_TYPES: dict[str, str] = {
    OWN_STUDENT: N_("本校学生"),
    OTHER_STUDENT: N_("外校学生"),
    STAFF: N_("教职工"),
    PUBLIC: N_("社会人员"),
}
UNKNOWN_PARTY_TYPE = "unknown"

# Police track: how the mediation was run.
POLICE_SPOT = "spot"
POLICE_GENERAL = "general"
POLICE_METHODS: dict[str, str] = {POLICE_SPOT: N_("当场调解"), POLICE_GENERAL: N_("一般调解")}

# Judicial confirmation (司法确认) outcome.
JUDICIAL_CONFIRMED = "confirmed"
JUDICIAL_REJECTED = "rejected"
JUDICIAL_OUTCOMES: dict[str, str] = {JUDICIAL_CONFIRMED: N_("确认有效"), JUDICIAL_REJECTED: N_("驳回申请")}

MAPPING_KINDS: dict[str, dict[str, str]] = {
    "people_row": MOJ_ROWS,
    "people_source": PEOPLE_SOURCES,
    "police_source": POLICE_SOURCES,
    "campus_row": CAMPUS_ROWS,
}
"""What each kind of mapping maps onto (``stat_mapping.kind`` → the row codes)."""

DEFAULT_BY_LABEL: dict[str, dict[str, str]] = {
    "people_row": {label: code for code, label in MOJ_ROWS.items()},
    "people_source": {"主动排查": "active", "当事人申请": "application", "派出所移交": "entrusted",
                      "学校转交": "entrusted", "法院/其他部门委托": "entrusted", "110警情转交": "entrusted"},
    "police_source": {"110警情转交": "call110", "当事人申请": "walk_in", "派出所移交": "walk_in",
                      "学校转交": "school"},
    "campus_row": {"宿舍": "dorm", "噪音": "dorm", "恋爱/感情": "romance", "财物损坏": "theft", "盗窃": "theft",
                   "电信诈骗": "fraud", "电动车/自行车": "traffic", "租房": "consumer", "网购/消费": "consumer",
                   "兼职/实习": "consumer", "人身损害": "injury"},
}
"""The row an unmapped item goes to, by its label when first seen (else 其他 / 依申请)."""
FALLBACK: dict[str, str] = {"people_row": OTHER, "people_source": "application",
                            "police_source": "other", "campus_row": "other"}

# ---------------------------------------------------------------- counting rules (tooltips, report notes)
RULES: dict[str, str] = {
    "accepted": N_("受理：按受理日期计入统计期间（登记未受理的不计）。"),
    "success": N_("调解成功：按达成协议的日期计入（书面协议与口头协议之和）。"),
    "terminated": N_("终止调解：按终止调解的日期计入。"),
    "success_rate": N_("调解成功率 = 调解成功 ÷（调解成功 + 终止调解），两者均为本期内结束的案件。"),
    "category": N_("纠纷类型按类别的固定编号统计：类别改名后仍计入原来的行；类别与统计表行的对应关系由管理员维护，"
                   "按期保存，已上报的报表不随之改变。"),
    "amount": N_("协议涉及金额：本期达成的协议所载金额之和，以万元计。"),
    "judicial": N_("司法确认：本期内法院裁定确认有效的协议。"),
    "performed": N_("已履行：本期达成的协议中已履行完毕的。"),
    "prevented": N_("防止民转刑、防止群体性上访：本期调解成功的案件中经认定的，件数与涉及人数。"),
    "people": N_("涉及当事人：本期受理案件的当事人人数。"),
    "police_overdue": N_("超过期限：受理后3个工作日内未首次调解，或首次调解后7个工作日内未再次调解（仅在需要再次调解时）；"
                         "工作日按节假日日历（含调休）计算。"),
    "police_transfer": N_("移交人民调解：治安调解案件以引导/移送结束、去向为人民调解的，按结束日期计入。"),
    "campus": N_("校园纠纷：本期受理的案件按具体类型分行，按当事人类别统计当事人人数（不含代理人、监护人）。"),
    "days_to_close": N_("办理天数：从受理到结案的工作日数，按本期结案的案件计算。"),
    "overdue": N_("超期结案：本期结案的人民调解案件中，自受理至达成协议或终止超过30日的。"),
    "follow_up_rate": N_("回访率：本期达成协议的案件中已有回访记录的比例。"),
    "performance_rate": N_("履行率：本期达成协议的案件中已履行完毕的比例。"),
    "returned": N_("退回的协议：本期督导民警审核时退回修改的协议文书次数。"),
    "consultations": N_("法律咨询：按咨询日期计入。"),
    "yoy": N_("同比：与上年同期相比；环比：与上一期（上月、上季度、上年或等长的前一段时间）相比。"),
}


def rule_text(code: str) -> str:
    return _(RULES[code])
