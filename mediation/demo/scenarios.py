"""Campus disputes as they reach a desk, and the words each step of their story leaves in the record."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from mediation.demo.clock import EPOCH_ORDINAL
from mediation.demo.people import People, Person, Weighted, between, pick
from mediation.permissions import Actor


@dataclass(slots=True)
class Dispute:
    category: str
    subcategory: str
    title: str
    facts: str
    claims: str
    amount: Decimal | None
    terms: str
    manner: str
    parties: list[tuple[str, Person, int | None]]
    """(role, person, index of the party an agent or guardian acts for)."""
    police_ok: bool = False
    refer_to: str = ""
    refer_reason: str = ""


def _money(rng: random.Random, lo: int, hi: int, step: int = 50) -> Decimal:
    return Decimal(between(rng, lo // step, hi // step) * step)


def _cn_date(day: int) -> str:
    d = dt.date.fromordinal(EPOCH_ORDINAL + day)
    return f"{d.year}年{d.month}月{d.day}日"


Scenario = Callable[[random.Random, "People", str, int], Dispute]


def _deposit(rng: random.Random, ppl: People, uni: str, day: int) -> Dispute:
    a, b = ppl.student(uni), ppl.landlord()
    rent = _money(rng, 800, 3000, 100)
    deposit = rent * pick(rng, (1, 2))
    excuse = pick(rng, ("墙面有污损", "提前退租违约", "家电损坏", "未打扫卫生", "合同未到期"))
    facts = (f"申请人{a.name}于{_cn_date(day - between(rng, 120, 400))}经口头约定租住被申请人{b.name}"
             f"位于{b.address}的房屋，月租金{rent}元，已交押金{deposit}元，未签订书面合同。申请人退租并交还"
             f"钥匙后，被申请人以{excuse}为由拒绝退还押金，双方多次协商未果。")
    return Dispute("合同", "租房", f"{a.name}与{b.name}租房押金纠纷", facts,
                    f"请求被申请人退还押金{deposit}元。", deposit,
                    f"被申请人于协议签订后七日内退还申请人押金{deposit}元，双方租赁关系就此终结，再无其他争议。",
                    "微信转账", [("applicant", a, None), ("respondent", b, None)],
                    refer_to="人民法院", refer_reason="被申请人不同意调解，建议向人民法院起诉")


def _no_key(rng: random.Random, ppl: People, uni: str, day: int) -> Dispute:
    a, b = ppl.student(uni), ppl.landlord()
    paid = _money(rng, 1500, 9000, 100)
    facts = (f"申请人{a.name}通过微信与被申请人{b.name}口头约定租房，已预付三个月房租共{paid}元，"
             f"约定入住日被申请人未交付钥匙，称房屋已另租他人，至今未退还已付房租。")
    return Dispute("房屋宅基地", "租房", f"{a.name}诉{b.name}口头租约未交房", facts,
                    f"请求被申请人退还已付房租{paid}元。", paid,
                    f"被申请人分两期退还申请人房租共计{paid}元，首期于三日内支付。", "银行转账",
                    [("applicant", a, None), ("respondent", b, None)],
                    refer_to="人民法院", refer_reason="双方对是否成立租赁合同分歧较大")


def ebike(rng: random.Random, ppl: People, uni: str, day: int) -> Dispute:
    a, b = ppl.student(uni), ppl.student(uni)
    cost = _money(rng, 150, 2600, 10)
    place = pick(rng, ("第二食堂门口", "图书馆东侧路口", "南门快递点", "12号宿舍楼车棚", "体育馆停车区"))
    vehicle = pick(rng, ("电动车", "自行车", "电动自行车"))
    facts = (f"{_cn_date(day)}傍晚，被申请人{b.name}在校内{place}骑电动车时与申请人{a.name}的{vehicle}"
             f"发生碰撞，造成{vehicle}车架变形、车灯损坏，维修报价{cost}元。双方对责任划分有争议。")
    category = "道路交通事故" if rng.random() < 0.5 else "损害赔偿"
    return Dispute(category, "电动车/自行车" if category == "道路交通事故" else "财物损坏",
                    f"{a.name}{vehicle}被撞损坏赔偿纠纷", facts, f"请求被申请人赔偿维修费用{cost}元。", cost,
                    f"被申请人赔偿申请人车辆维修费{cost}元，当场以微信转账方式支付。", "微信转账",
                    [("applicant", a, None), ("respondent", b, None)], police_ok=True,
                    refer_to="交警部门", refer_reason="涉及机动车道交通事故责任认定")


def _loan(rng: random.Random, ppl: People, uni: str, day: int) -> Dispute:
    a, b = ppl.student(uni), ppl.student(uni)
    amount = _money(rng, 300, 12000, 100)
    purpose = pick(rng, ("购买手机", "支付考研培训费", "周转生活费", "偿还网贷", "旅游"))
    facts = (f"申请人{a.name}与被申请人{b.name}系同宿舍室友。{_cn_date(day - between(rng, 30, 300))}"
             f"被申请人以{purpose}为由向申请人借款{amount}元，有微信转账记录和聊天记录为证，"
             f"约定一个月内归还，逾期至今未还。")
    return Dispute("合同" if rng.random() < 0.7 else "其他", "借贷", f"室友{b.name}借款{amount}元未还",
                    facts, f"请求被申请人归还借款{amount}元。", amount,
                    f"被申请人分期归还借款{amount}元，每月15日前支付不少于五百元，直至还清。", "分期微信转账",
                    [("applicant", a, None), ("respondent", b, None)],
                    refer_to="人民法院", refer_reason="被申请人否认借款事实")


def _online(rng: random.Random, ppl: People, uni: str, day: int) -> Dispute:
    a = ppl.student(uni)
    b = ppl.shop(pick(rng, ("数码专营店", "旗舰店", "服饰店", "教育咨询有限公司")))
    price = _money(rng, 60, 8000, 10)
    item = pick(rng, ("笔记本电脑", "蓝牙耳机", "二手手机", "羽绒服", "考研网课", "平板电脑", "健身卡"))
    facts = (f"申请人{a.name}于{_cn_date(day - between(rng, 5, 60))}在被申请人{b.name}购买{item}，"
             f"支付{price}元。收货后发现{item}与描述不符、存在质量问题，申请人要求退货退款，"
             f"被申请人以已过退换期为由拒绝。")
    return Dispute("消费" if rng.random() < 0.6 else "合同", "网购/消费", f"{item}网购退款纠纷", facts,
                    f"请求被申请人办理退货并退还货款{price}元。", price,
                    f"申请人将{item}寄回，被申请人收货后三日内全额退还货款{price}元。", "原支付渠道退回",
                    [("applicant", a, None), ("respondent", b, None)],
                    refer_to="消费者协会", refer_reason="商家在外地，建议向消费者协会投诉")


def _noise(rng: random.Random, ppl: People, uni: str, day: int) -> Dispute:
    a, b = ppl.student(uni), ppl.student(uni)
    what = pick(rng, ("深夜打游戏大声喧哗", "凌晨外放视频", "在宿舍内使用大功率电器", "长期不打扫公共区域"))
    facts = (f"申请人{a.name}与被申请人{b.name}同住{a.address}。被申请人{what}，申请人多次劝说无果，"
             f"{_cn_date(day)}晚双方发生口角并互相推搡，宿管报警后民警到场制止。")
    return Dispute("邻里", "宿舍" if rng.random() < 0.6 else "噪音", f"{a.name}与{b.name}宿舍矛盾", facts,
                    "请求被申请人赔礼道歉并保证不再发生类似行为。", None,
                    "被申请人向申请人当面赔礼道歉，双方承诺遵守宿舍作息约定，互不追究。", "当面道歉",
                    [("applicant", a, None), ("respondent", b, None)], police_ok=True,
                    refer_to="学校学生工作处", refer_reason="需由学校调整宿舍")


def _fight(rng: random.Random, ppl: People, uni: str, day: int) -> Dispute:
    a = ppl.student(uni)
    minor = rng.random() < 0.15
    b = ppl.minor(uni) if minor else ppl.student(uni)
    cost = _money(rng, 200, 5000, 10)
    place = pick(rng, ("篮球场", "食堂二楼", "校门口奶茶店", "操场", "网吧"))
    facts = (f"{_cn_date(day)}，申请人{a.name}与被申请人{b.name}在{place}因琐事发生争执，继而互殴，"
             f"申请人面部软组织挫伤，花去医疗费{cost}元，经派出所出警处置。")
    parties: list[tuple[str, Person, int | None]] = [("applicant", a, None), ("respondent", b, None)]
    if minor:  # a minor party needs a guardian (DOMAIN §2)
        parties.append(("guardian", ppl.adult(pick(rng, ("个体经营", "公司职员", "教师"))), 1))
    return Dispute("损害赔偿", "人身损害", f"{a.name}与{b.name}互殴致伤", facts,
                    f"请求被申请人赔偿医疗费、误工费共计{cost}元。", cost,
                    f"被申请人赔偿申请人医疗费等各项损失共计{cost}元，当场付清，双方互不追究。", "现金当面支付",
                    parties, police_ok=True, refer_to="派出所治安部门", refer_reason="伤情需进一步鉴定")


def _wages(rng: random.Random, ppl: People, uni: str, day: int) -> Dispute:
    a = ppl.student(uni)
    b = ppl.shop(pick(rng, ("餐饮管理有限公司", "奶茶店", "教育培训学校", "文化传媒有限公司")))
    days = between(rng, 5, 59)
    daily = pick(rng, (80, 100, 120, 150, 200))
    owed = Decimal(days * daily)
    facts = (f"申请人{a.name}于{_cn_date(day - days - 20)}起在被申请人{b.name}兼职，口头约定日薪{daily}元，"
             f"共工作{days}天。被申请人以试用期、考勤不合格为由拖欠工资{owed}元。")
    parties: list[tuple[str, Person, int | None]] = [("applicant", a, None), ("respondent", b, None)]
    if rng.random() < 0.2:
        parties.append(("agent", ppl.adult(f"{b.name}行政人员"), 1))
    return Dispute("劳动争议" if rng.random() < 0.6 else "合同", "兼职/实习", f"{a.name}兼职工资被拖欠",
                    facts, f"请求被申请人支付拖欠工资{owed}元。", owed,
                    f"被申请人于十日内一次性支付申请人兼职工资{owed}元。", "银行转账", parties,
                    refer_to="劳动人事争议仲裁委员会", refer_reason="属劳动争议，告知申请劳动仲裁")


SCENARIOS = Weighted(((_deposit, 24), (_no_key, 6), (ebike, 14), (_loan, 14), (_online, 16),
                        (_noise, 12), (_fight, 7), (_wages, 7)))


SOURCES = Weighted((("当事人申请", 60), ("学校转交", 12), ("派出所移交", 10), ("110警情转交", 8),
                      ("主动排查", 6), ("法院/其他部门委托", 4)))


CONSULT_TOPICS = (
    ("押金不退怎么办", "合同", "房东以各种理由不退押金", "建议保留转账记录和聊天记录，先书面催告，可来中心申请调解，也可向法院起诉。"),
    ("口头租房协议是否有效", "合同", "没有签合同只有微信聊天", "口头约定的租赁合同同样成立，聊天记录、转账记录可作为证据。"),
    ("网购商品质量问题退款", "消费", "商家拒绝七天无理由退货", "可依据消费者权益保护法要求退货，向平台投诉或向消费者协会求助。"),
    ("兼职被拖欠工资", "劳动争议", "奶茶店兼职一个月未发工资", "保留考勤和沟通记录，可向劳动监察投诉或申请劳动仲裁。"),
    ("室友借钱不还", "合同", "借给室友三千元一直拖延", "借款有转账记录即可证明，可先协商，协商不成可申请调解或起诉。"),
    ("电动车被撞谁赔偿", "损害赔偿", "校内被电动车撞坏自行车", "由过错方承担赔偿责任，建议拍照留证并申请调解。"),
    ("宿舍矛盾如何处理", "邻里", "室友长期深夜吵闹", "建议先与宿管老师沟通调整，必要时可到中心调解。"),
    ("培训机构退费", "消费", "报名考研班后想退费", "查看合同退费条款，格式条款不合理的可主张无效，可申请调解。"),
)


PLACES = ("联调中心调解室", "派出所调解室", "学生活动中心二楼", "线上视频调解")


METHODS = ("phone", "visit", "online")


def investigation_text(d: Dispute) -> str:
    return f"向{d.parties[-1][1].name}了解情况并查看相关凭证（转账记录、聊天记录、照片），核实：{d.facts[:60]}……"


def session_text(d: Dispute, result: str) -> str:
    a, b = d.parties[0][1].name, d.parties[1][1].name
    said = f"申请人{a}陈述：{d.claims}被申请人{b}称对部分事实无异议，但对金额有不同意见。调解员释法明理，"
    return said + {"agreed": "双方最终自愿达成协议。", "failed": "双方分歧较大，未能达成一致。",
                   "continued": "双方同意回去考虑后再次调解。"}[result]


def attendees(d: Dispute, mediator: Actor) -> str:
    return "、".join([p.name for _r, p, _x in d.parties] + [mediator.display_name])


FOLLOW_UP_TEXT = {
    "performed": "电话回访，申请人确认协议已履行完毕，双方无新的争议。",
    "partly": "回访得知被申请人已履行部分义务，余款承诺于月底前付清。",
    "breached": "回访得知被申请人未按期履行，已告知申请人可申请司法确认或向法院起诉。",
}
