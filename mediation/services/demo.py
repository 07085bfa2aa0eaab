"""Demo data: realistic campus disputes between generated (never real) people.

:func:`generate` first plans every case as a timeline (registered → track → accepted
→ investigation → sessions → agreement → follow-ups → closed → archived, or declined,
referred, withdrawn, terminated), spread over the last two years; steps later than
now are cut off, so recent cases are still open and older ones closed or archived.
The plan is then written in one of two ways:

* few cases (``cases < bulk_threshold``): every step goes through the real services
  (validation, workflow guards, numbering, deadlines, audit trail), in time order,
  each step at its own past moment (see :func:`_clock`);
* many cases: SQLAlchemy Core ``insert`` executemany in chunks, one transaction, with
  the same rows the services would have written (numbers gapless per desk and year and
  matching ``number_sequence``, events, sessions, follow-ups, deadlines) and one audit
  row per chunk (action ``demo.generate``). 100,000 cases take well under 30 s on
  SQLite (see BENCHMARKS.md).

People are made up: random surnames and given names (two- and three-character names,
compound surnames such as 欧阳 and 司马, a few rare characters such as 䶮, 𠮷 and 㛃,
names with ``·``), resident ID numbers with a correct check character, mobile numbers.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from mediation import workflow
from mediation.db import Database, require_write
from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.models import (
    Case,
    CaseEvent,
    CaseParty,
    Consultation,
    Desk,
    FollowUp,
    InvestigationRecord,
    NumberSequence,
    Party,
    SessionRecord,
    User,
)
from mediation.permissions import ADMIN, ADVISER, OFFICER, VOLUNTEER, Actor
from mediation.services import accounts, audit, deadlines
from mediation.services.numbering import format_case_number
from mediation.timeutil import desk_tz, local_date, utcnow
from mediation.validation import resident_id_check_char
from mediation.workdays import WorkCalendar

BULK_THRESHOLD = 2000
"""From this many cases on, rows are bulk-inserted instead of going through services."""
CHUNK = 5000
"""Cases per executemany batch (and per ``demo.generate`` audit row) in bulk mode."""
SPAN_DAYS = 730
_TIMES: dict[str, float] = {}

Progress = Callable[[int, int], None]


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class DemoStaff:
    """Who acts in the generated histories: officers accept and close, volunteers do casework."""

    officers: tuple[Actor, ...]
    volunteers: tuple[Actor, ...]


@dataclass(frozen=True)
class DemoSummary:
    cases: int
    consultations: int
    parties: int
    by_stage: dict[str, int]
    by_track: dict[str, int]
    mode: str
    """services | bulk."""
    seconds: float
    audit_rows: int
    first_case_id: int | None = None
    last_case_id: int | None = None


# ---------------------------------------------------------------- generated people

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "司徒", "慕容", "皇甫", "令狐", "夏侯")
_GIVEN_MALE = "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林晨阳博文轩睿泽然子航"
_GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲燕婷雪琳洁颖梅莉倩晶欣怡佳悦萱涵琪雯璐瑶菲妍蕾薇馨月蓉"
_GIVEN_ANY = "一思嘉子雨诗梓欣明安心若语晓天乐晨可星亦宁佳依"
# Characters outside the basic CJK block (Ext. A/B) that real names use.
_RARE = ("䶮", "㛃", "𠮷", "䶵", "㑇")
_DOT_FIRST = ("阿卜杜拉", "古丽米热", "迪丽娜尔", "买买提", "努尔兰", "热依拉", "阿依古丽", "艾力",
              "帕提古丽", "吐尔逊", "巴特尔", "娜仁")
_DOT_LAST = ("买买提", "艾尔肯", "阿不都", "吐尔逊", "别克", "库尔班", "吐尔洪", "热合曼", "阿布都拉",
             "其其格")
_FOREIGN = ("约翰·史密斯", "安娜·彼得罗娃", "穆罕默德·阿里", "玛丽亚·加西亚", "金敏俊", "山田·花子",
            "阮氏·香", "奥马尔·哈桑", "索菲亚·穆勒", "伊万·伊万诺夫")
_ETHNIC = ("汉",) * 90 + ("回", "满", "壮", "蒙古", "苗", "土家", "彝", "朝鲜", "藏", "侗")
_REGIONS = ("110105", "110108", "310104", "320102", "330106", "340104", "350203", "360102",
            "370102", "410105", "420111", "430104", "440106", "450103", "500106", "510107",
            "520102", "530102", "610113", "620102", "650102", "130102", "140105", "210102",
            "220102", "230102", "150102", "640104", "630102", "460105")
_MOBILE_PREFIXES = ("130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150",
                    "151", "152", "153", "155", "156", "157", "158", "159", "166", "173", "175",
                    "176", "177", "178", "180", "181", "182", "183", "185", "186", "187", "188",
                    "189", "191", "198", "199")
_UNIVERSITIES = ("滨江大学", "东湖理工大学", "南山师范学院", "临川财经大学", "北辰医科大学", "西岭政法大学")
_MAJORS = ("法学", "计算机科学与技术", "汉语言文学", "会计学", "临床医学", "土木工程", "英语", "电子信息工程",
           "市场营销", "新闻学")
_ESTATES = ("翠湖苑", "金桂园", "书香小区", "学苑新村", "青年公寓", "南门家园", "枫林小区", "湖畔花园")
_SHOP_WORDS = ("星辰", "极光", "优品", "乐享", "佳禾", "蓝海", "顺心", "鼎新", "小满", "拾光", "青柠", "知行")


@dataclass
class _Person:
    kind: str
    name: str
    sex: str = ""
    ethnicity: str = ""
    birth: dt.date | None = None
    id_type: str = "resident_id"
    id_number: str = ""
    phone: str = ""
    address: str = ""
    occupation: str = ""
    legal_representative: str = ""
    party_id: int | None = None
    """Set once stored, so a landlord or shop can come back in later cases."""


class _People:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.landlords: list[_Person] = []
        self.shops: dict[str, list[_Person]] = {}

    def surname(self) -> str:
        r = self.rng.random()
        if r < 0.04:
            return self.rng.choice(_COMPOUND_SURNAMES)
        return self.rng.choice(_SURNAMES)

    def name(self, sex: str) -> tuple[str, str]:
        """A generated name and the ethnicity that goes with it."""
        rng = self.rng
        r = rng.random()
        if r < 0.012:
            return f"{rng.choice(_DOT_FIRST)}·{rng.choice(_DOT_LAST)}", rng.choice(("维吾尔", "哈萨克", "蒙古"))
        pool = _GIVEN_MALE if sex == "男" else _GIVEN_FEMALE
        if r < 0.02:
            rare = rng.choice(_RARE)
            return (rare + rng.choice(pool) if rare == "𠮷" else self.surname() + rare), "汉"
        given = rng.choice(pool)
        if rng.random() < 0.72:  # most names have a two-character given name
            given += rng.choice(pool + _GIVEN_ANY)
        return self.surname() + given, rng.choice(_ETHNIC)

    def resident_id(self, birth: dt.date, sex: str) -> str:
        order = self.rng.randrange(0, 50) * 2 + (1 if sex == "男" else 0)
        body = f"{self.rng.choice(_REGIONS)}{birth:%Y%m%d}{self.rng.randrange(10, 99)}{order % 10}"
        return body + resident_id_check_char(body)

    def mobile(self) -> str:
        return self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(0, 10 ** 8):08d}"

    def birth(self, min_age: int, max_age: int) -> dt.date:
        age_days = self.rng.randrange(min_age * 366, max_age * 365)
        return self.today - dt.timedelta(days=age_days)

    def _person(self, min_age: int, max_age: int, occupation: str, address: str) -> _Person:
        sex = self.rng.choice(("男", "女"))
        name, ethnicity = self.name(sex)
        birth = self.birth(min_age, max_age)
        r = self.rng.random()
        if r < 0.03:  # a foreign student: passport
            return _Person("person", self.rng.choice(_FOREIGN), sex, "", birth, "passport",
                           self.rng.choice("EGKPM") + f"{self.rng.randrange(10 ** 7, 10 ** 8)}",
                           self.mobile(), address, occupation)
        if r < 0.10:  # ID number not known yet at intake (nor the date of birth)
            return _Person("person", name, sex, ethnicity, None, "none", "", self.mobile(), address,
                           occupation)
        return _Person("person", name, sex, ethnicity, birth, "resident_id",
                       self.resident_id(birth, sex), self.mobile(), address, occupation)

    def student(self, university: str) -> _Person:
        major = self.rng.choice(_MAJORS)
        grade = self.rng.randrange(2019, self.today.year + 1)
        dorm = f"{university}{self.rng.randrange(1, 24)}号宿舍楼{self.rng.randrange(1, 7)}{self.rng.randrange(1, 40):02d}室"
        # Ages are counted from today while cases go back two years: adults then too.
        return self._person(20, 29, f"{university}{major}专业{grade}级学生", dorm)

    def adult(self, occupation: str) -> _Person:
        return self._person(30, 70, occupation, self.flat())

    def minor(self, university: str) -> _Person:
        sex = self.rng.choice(("男", "女"))
        name, ethnicity = self.name(sex)
        birth = self.birth(14, 15)
        return _Person("person", name, sex, ethnicity, birth, "resident_id", self.resident_id(birth, sex),
                       self.mobile(), self.flat(), f"{university}附属中学学生")

    def flat(self) -> str:
        return (f"学府路{self.rng.randrange(1, 300)}号{self.rng.choice(_ESTATES)}"
                f"{self.rng.randrange(1, 30)}栋{self.rng.randrange(1, 6)}单元{self.rng.randrange(101, 2999)}室")

    def landlord(self) -> _Person:
        if self.landlords and self.rng.random() < 0.2:
            return self.rng.choice(self.landlords)
        p = self.adult(self.rng.choice(("个体房东", "退休职工", "自由职业", "某公司职员")))
        self.landlords.append(p)
        return p

    def shop(self, suffix: str) -> _Person:
        same = self.shops.setdefault(suffix, [])
        if same and self.rng.random() < 0.25:
            return self.rng.choice(same)
        sex = self.rng.choice(("男", "女"))
        rep, _eth = self.name(sex)
        name = f"{self.rng.choice(('临川', '滨江', '东湖', '南山'))}{self.rng.choice(_SHOP_WORDS)}{suffix}"
        area = self.rng.choice(("0571", "0755", "027", "028", "025"))
        first = str(self.rng.randrange(2, 9))
        digits = 8 if len(area) == 3 else 7
        phone = f"{area}-{first}{self.rng.randrange(0, 10 ** (digits - 1)):0{digits - 1}d}"
        p = _Person("org", name, "", "", None, "other", "", phone, self.flat(), "",
                    legal_representative=rep)
        same.append(p)
        return p


# ---------------------------------------------------------------- dispute scenarios


@dataclass
class _Dispute:
    category: str
    subcategory: str
    title: str
    facts: str
    claims: str
    amount: Decimal | None
    terms: str
    manner: str
    parties: list[tuple[str, _Person, int | None]]
    """(role, person, index of the party an agent/guardian acts for)."""
    police_ok: bool = False
    refer_to: str = ""
    refer_reason: str = ""


def _money(rng: random.Random, lo: int, hi: int, step: int = 50) -> Decimal:
    return Decimal(rng.randrange(lo // step, hi // step + 1) * step)


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _deposit(rng: random.Random, ppl: _People, uni: str, when: dt.date) -> _Dispute:
    a, b = ppl.student(uni), ppl.landlord()
    rent = _money(rng, 800, 3000, 100)
    deposit = rent * rng.choice((1, 2))
    moved_in = when - dt.timedelta(days=rng.randrange(120, 400))
    excuse = rng.choice(("墙面有污损", "提前退租违约", "家电损坏", "未打扫卫生", "合同未到期"))
    facts = (f"申请人{a.name}于{_cn_date(moved_in)}经口头约定租住被申请人{b.name}位于{b.address}的房屋，"
             f"月租金{rent}元，已交押金{deposit}元，未签订书面合同。申请人退租并交还钥匙后，"
             f"被申请人以{excuse}为由拒绝退还押金，双方多次协商未果。")
    return _Dispute("合同", "租房", f"{a.name}与{b.name}租房押金纠纷", facts,
                    f"请求被申请人退还押金{deposit}元。", deposit,
                    f"被申请人于协议签订后七日内退还申请人押金{deposit}元，双方租赁关系就此终结，再无其他争议。",
                    "微信转账", [("applicant", a, None), ("respondent", b, None)],
                    refer_to="人民法院", refer_reason="被申请人不同意调解，建议向人民法院起诉")


def _no_key(rng: random.Random, ppl: _People, uni: str, when: dt.date) -> _Dispute:
    a, b = ppl.student(uni), ppl.landlord()
    paid = _money(rng, 1500, 9000, 100)
    facts = (f"申请人{a.name}通过微信与被申请人{b.name}口头约定租房，已预付三个月房租共{paid}元，"
             f"约定入住日被申请人未交付钥匙，称房屋已另租他人，至今未退还已付房租。")
    return _Dispute("房屋宅基地", "租房", f"{a.name}诉{b.name}口头租约未交房", facts,
                    f"请求被申请人退还已付房租{paid}元。", paid,
                    f"被申请人分两期退还申请人房租共计{paid}元，首期于三日内支付。", "银行转账",
                    [("applicant", a, None), ("respondent", b, None)],
                    refer_to="人民法院", refer_reason="双方对是否成立租赁合同分歧较大")


def _ebike(rng: random.Random, ppl: _People, uni: str, when: dt.date) -> _Dispute:
    a, b = ppl.student(uni), ppl.student(uni)
    cost = _money(rng, 150, 2600, 10)
    place = rng.choice(("第二食堂门口", "图书馆东侧路口", "南门快递点", "12号宿舍楼车棚", "体育馆停车区"))
    vehicle = rng.choice(("电动车", "自行车", "电动自行车"))
    facts = (f"{_cn_date(when)}傍晚，被申请人{b.name}在校内{place}骑电动车时与申请人{a.name}的{vehicle}"
             f"发生碰撞，造成{vehicle}车架变形、车灯损坏，维修报价{cost}元。双方对责任划分有争议。")
    return _Dispute(rng.choice(("损害赔偿", "道路交通事故")),
                    rng.choice(("财物损坏", "电动车/自行车")) if rng.random() < 0.5 else "电动车/自行车",
                    f"{a.name}{vehicle}被撞损坏赔偿纠纷", facts, f"请求被申请人赔偿维修费用{cost}元。", cost,
                    f"被申请人赔偿申请人车辆维修费{cost}元，当场以微信转账方式支付。", "微信转账",
                    [("applicant", a, None), ("respondent", b, None)], police_ok=True,
                    refer_to="交警部门", refer_reason="涉及机动车道交通事故责任认定")


def _loan(rng: random.Random, ppl: _People, uni: str, when: dt.date) -> _Dispute:
    a, b = ppl.student(uni), ppl.student(uni)
    amount = _money(rng, 300, 12000, 100)
    lent = when - dt.timedelta(days=rng.randrange(30, 300))
    purpose = rng.choice(("购买手机", "支付考研培训费", "周转生活费", "偿还网贷", "旅游"))
    facts = (f"申请人{a.name}与被申请人{b.name}系同宿舍室友。{_cn_date(lent)}被申请人以{purpose}为由"
             f"向申请人借款{amount}元，有微信转账记录和聊天记录为证，约定一个月内归还，逾期至今未还。")
    return _Dispute(rng.choice(("合同", "其他")), "借贷", f"室友{b.name}借款{amount}元未还", facts,
                    f"请求被申请人归还借款{amount}元。", amount,
                    f"被申请人分期归还借款{amount}元，每月15日前支付不少于五百元，直至还清。", "分期微信转账",
                    [("applicant", a, None), ("respondent", b, None)],
                    refer_to="人民法院", refer_reason="被申请人否认借款事实")


def _online(rng: random.Random, ppl: _People, uni: str, when: dt.date) -> _Dispute:
    a = ppl.student(uni)
    b = ppl.shop(rng.choice(("数码专营店", "旗舰店", "服饰店", "教育咨询有限公司")))
    price = _money(rng, 60, 8000, 10)
    item = rng.choice(("笔记本电脑", "蓝牙耳机", "二手手机", "羽绒服", "考研网课", "平板电脑", "健身卡"))
    facts = (f"申请人{a.name}于{_cn_date(when - dt.timedelta(days=rng.randrange(5, 60)))}在被申请人{b.name}"
             f"购买{item}一件，支付{price}元。收货后发现{item}与描述不符、存在质量问题，"
             f"申请人要求退货退款，被申请人以已过退换期为由拒绝。")
    return _Dispute(rng.choice(("消费", "合同")), "网购/消费", f"{item}网购退款纠纷", facts,
                    f"请求被申请人办理退货并退还货款{price}元。", price,
                    f"申请人将{item}寄回，被申请人收货后三日内全额退还货款{price}元。", "原支付渠道退回",
                    [("applicant", a, None), ("respondent", b, None)],
                    refer_to="消费者协会", refer_reason="商家在外地，建议向消费者协会投诉")


def _noise(rng: random.Random, ppl: _People, uni: str, when: dt.date) -> _Dispute:
    a, b = ppl.student(uni), ppl.student(uni)
    what = rng.choice(("深夜打游戏大声喧哗", "凌晨外放视频", "在宿舍内使用大功率电器", "长期不打扫公共区域"))
    facts = (f"申请人{a.name}与被申请人{b.name}同住{a.address}。被申请人{what}，申请人多次劝说无果，"
             f"{_cn_date(when)}晚双方发生口角并互相推搡，宿管报警后民警到场制止。")
    parties: list[tuple[str, _Person, int | None]] = [("applicant", a, None), ("respondent", b, None)]
    return _Dispute("邻里", rng.choice(("宿舍", "噪音")), f"{a.name}与{b.name}宿舍矛盾", facts,
                    "请求被申请人赔礼道歉并保证不再发生类似行为。", None,
                    "被申请人向申请人当面赔礼道歉，双方承诺遵守宿舍作息约定，互不追究。", "当面道歉",
                    parties, police_ok=True, refer_to="学校学生工作处", refer_reason="需由学校调整宿舍")


def _fight(rng: random.Random, ppl: _People, uni: str, when: dt.date) -> _Dispute:
    a = ppl.student(uni)
    minor = rng.random() < 0.15
    b = ppl.minor(uni) if minor else ppl.student(uni)
    cost = _money(rng, 200, 5000, 10)
    place = rng.choice(("篮球场", "食堂二楼", "校门口奶茶店", "操场", "网吧"))
    facts = (f"{_cn_date(when)}，申请人{a.name}与被申请人{b.name}在{place}因琐事发生争执，继而互殴，"
             f"申请人面部软组织挫伤，花去医疗费{cost}元，经派出所出警处置。")
    parties: list[tuple[str, _Person, int | None]] = [("applicant", a, None), ("respondent", b, None)]
    if minor:
        g = ppl.adult(rng.choice(("个体经营", "公司职员", "教师")))
        parties.append(("guardian", g, 1))
    return _Dispute("损害赔偿", "人身损害", f"{a.name}与{b.name}互殴致伤", facts,
                    f"请求被申请人赔偿医疗费、误工费共计{cost}元。", cost,
                    f"被申请人赔偿申请人医疗费等各项损失共计{cost}元，当场付清，双方互不追究。", "现金当面支付",
                    parties, police_ok=True, refer_to="派出所治安部门", refer_reason="伤情需进一步鉴定")


def _wages(rng: random.Random, ppl: _People, uni: str, when: dt.date) -> _Dispute:
    a = ppl.student(uni)
    b = ppl.shop(rng.choice(("餐饮管理有限公司", "奶茶店", "教育培训学校", "文化传媒有限公司")))
    days = rng.randrange(5, 60)
    daily = rng.choice((80, 100, 120, 150, 200))
    owed = Decimal(days * daily)
    facts = (f"申请人{a.name}于{_cn_date(when - dt.timedelta(days=days + 20))}起在被申请人{b.name}兼职，"
             f"口头约定日薪{daily}元，共工作{days}天。被申请人以试用期、考勤不合格为由拖欠工资{owed}元。")
    parties: list[tuple[str, _Person, int | None]] = [("applicant", a, None), ("respondent", b, None)]
    if rng.random() < 0.2:
        agent = ppl.adult(f"{b.name}行政人员")
        parties.append(("agent", agent, 1))
    return _Dispute(rng.choice(("劳动争议", "合同")), "兼职/实习", f"{a.name}兼职工资被拖欠", facts,
                    f"请求被申请人支付拖欠工资{owed}元。", owed,
                    f"被申请人于十日内一次性支付申请人兼职工资{owed}元。", "银行转账", parties,
                    refer_to="劳动人事争议仲裁委员会", refer_reason="属劳动争议，告知申请劳动仲裁")


_SCENARIOS: tuple[tuple[Callable[[random.Random, _People, str, dt.date], _Dispute], int], ...] = (
    (_deposit, 24), (_no_key, 6), (_ebike, 14), (_loan, 14), (_online, 16), (_noise, 12),
    (_fight, 7), (_wages, 7),
)
_SOURCES = (("当事人申请", 60), ("学校转交", 12), ("派出所移交", 10), ("110警情转交", 8), ("主动排查", 6),
            ("法院/其他部门委托", 4))
_CONSULT_TOPICS = (
    ("押金不退怎么办", "合同", "房东以各种理由不退押金", "建议保留转账记录和聊天记录，先书面催告，可来中心申请调解，也可向法院起诉。"),
    ("口头租房协议是否有效", "合同", "没有签合同只有微信聊天", "口头约定的租赁合同同样成立，聊天记录、转账记录可作为证据。"),
    ("网购商品质量问题退款", "消费", "商家拒绝七天无理由退货", "可依据消费者权益保护法要求退货，向平台投诉或向消费者协会求助。"),
    ("兼职被拖欠工资", "劳动争议", "奶茶店兼职一个月未发工资", "保留考勤和沟通记录，可向劳动监察投诉或申请劳动仲裁。"),
    ("室友借钱不还", "合同", "借给室友三千元一直拖延", "借款有转账记录即可证明，可先协商，协商不成可申请调解或起诉。"),
    ("电动车被撞谁赔偿", "损害赔偿", "校内被电动车撞坏自行车", "由过错方承担赔偿责任，建议拍照留证并申请调解。"),
    ("宿舍矛盾如何处理", "邻里", "室友长期深夜吵闹", "建议先与宿管老师沟通调整，必要时可到中心调解。"),
    ("培训机构退费", "消费", "报名考研班后想退费", "查看合同退费条款，格式条款不合理的可主张无效，可申请调解。"),
)
_PLACES = ("联调中心调解室", "派出所调解室", "学生活动中心二楼", "线上视频调解")


def _weighted(rng: random.Random, items: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([i for i, _w in items], weights=[w for _i, w in items])[0]


# ---------------------------------------------------------------- case timelines


@dataclass
class _Step:
    at: dt.datetime
    action: str
    """register | track | assign | accept | investigation | session | agreement | sign |
    follow_up | close | archive | decline | refer | withdraw | terminate."""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Plan:
    index: int
    dispute: _Dispute
    source: str
    track: str | None
    mediator: int
    """Index into staff.volunteers (people's mediation) or staff.officers (police)."""
    mediator_is_officer: bool
    steps: list[_Step]
    consultation: int | None = None
    """Index of the consultation this case was converted from."""
    case_id: int | None = None


class _Clockwork:
    """Times of day at the desk: steps happen in office hours, in local time, stored UTC."""

    def __init__(self, rng: random.Random, now: dt.datetime) -> None:
        self.rng = rng
        self.now = now
        self.tz = desk_tz()

    def at_day(self, day: dt.date, *, evening: bool = False) -> dt.datetime:
        if evening:
            minutes = self.rng.randrange(18 * 60, 22 * 60)
        else:
            minutes = self.rng.randrange(8 * 60 + 30, 17 * 60 + 30)
        local = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60, self.rng.randrange(60)),
                                    tzinfo=self.tz)
        return local.astimezone(dt.timezone.utc)

    def later(self, start: dt.datetime, min_days: int, max_days: int) -> dt.datetime:
        """A moment ``min_days``–``max_days`` days after ``start`` (office hours, after start)."""
        days = self.rng.randrange(min_days, max_days + 1)
        day = start.astimezone(self.tz).date() + dt.timedelta(days=days)
        if day.weekday() >= 5 and self.rng.random() < 0.85:
            day += dt.timedelta(days=7 - day.weekday())
        t = self.at_day(day)
        if t <= start:
            t = start + dt.timedelta(minutes=self.rng.randrange(5, 90))
        return t


def _registration_time(rng: random.Random, clock: _Clockwork, today: dt.date) -> dt.datetime:
    # Fewer disputes in the winter and summer vacations.
    while True:
        day = today - dt.timedelta(days=rng.randrange(0, SPAN_DAYS))
        if day.month in (1, 2, 7, 8) and rng.random() < 0.55:
            continue
        if day.weekday() >= 5 and rng.random() < 0.6:
            continue
        t = clock.at_day(day, evening=rng.random() < 0.1)
        if t < clock.now:
            return t


def _timeline(rng: random.Random, clock: _Clockwork, d: _Dispute, reg: dt.datetime,
              track: str | None, outcome: str, force: set[str]) -> list[_Step]:
    """Every step of a case's life from registration on; later cut at "now".

    ``force`` names optional steps that must be there ("investigation", "archive").
    """
    steps = [_Step(reg, "register")]
    if outcome == "declined":
        steps.append(_Step(clock.later(reg, 0, 4), "decline", {"reason": rng.choice((
            "不属于人民调解受理范围", "纠纷已由人民法院受理", "一方当事人明确拒绝调解"))}))
        return steps
    if outcome == "referred_early":
        steps.append(_Step(clock.later(reg, 0, 3), "refer", {"to": d.refer_to, "reason": d.refer_reason}))
        return steps
    if outcome == "withdrawn_early":
        steps.append(_Step(clock.later(reg, 0, 5), "withdraw", {"reason": "双方已自行和解，申请人撤回申请"}))
        return steps
    t = clock.later(reg, 0, 3)
    steps += [_Step(t, "track"), _Step(t + dt.timedelta(minutes=3), "assign"),
              _Step(t + dt.timedelta(minutes=6), "accept")]
    t = steps[-1].at
    if outcome == "referred":
        steps.append(_Step(clock.later(t, 1, 6), "refer", {"to": d.refer_to, "reason": d.refer_reason}))
        return steps
    if outcome == "withdrawn":
        steps.append(_Step(clock.later(t, 1, 10), "withdraw", {"reason": "申请人表示不再追究，撤回调解申请"}))
        return steps
    if rng.random() < 0.45 or "investigation" in force:
        t = clock.later(t, 0, 2)
        steps.append(_Step(t, "investigation"))
    police = track == workflow.POLICE
    sessions = 1 if police and rng.random() < 0.7 else rng.choice((1, 1, 2, 2, 3))
    if police:
        sessions = min(sessions, 2)
    for i in range(sessions):
        t = clock.later(t, 1 if i == 0 else 3, 3 if police else (6 if i == 0 else 10))
        last = i == sessions - 1
        result = "continued" if not last else ("failed" if outcome == "terminated" else "agreed")
        steps.append(_Step(t, "session", {"result": result}))
    if outcome == "terminated":
        t = clock.later(t, 0, 2)
        steps.append(_Step(t, "terminate", {"reason": rng.choice((
            "双方分歧过大，经多次调解未能达成协议", "被申请人拒绝继续参加调解", "申请人要求通过诉讼解决")),
            "routes": f"可向{d.refer_to or '人民法院'}寻求解决"}))
        steps.append(_Step(clock.later(t, 1, 5), "close"))
        return steps
    oral = rng.random() < 0.35
    deadline = local_date(t) + dt.timedelta(days=rng.randrange(3, 30))
    steps.append(_Step(t + dt.timedelta(minutes=20), "agreement", {"oral": oral, "deadline": deadline}))
    t = steps[-1].at
    if not oral:
        t = clock.later(t, 0, 2)
        steps.append(_Step(t, "sign"))
    status = _weighted(rng, (("performed", 82), ("partly", 9), ("breached", 9)))
    t = max(t, clock.at_day(deadline)) if status != "performed" else clock.later(t, 1, 12)
    t = clock.later(t, 0, 5)
    steps.append(_Step(t, "follow_up", {"status": status}))
    if status == "partly":
        t = clock.later(t, 5, 20)
        steps.append(_Step(t, "follow_up", {"status": "performed"}))
    t = clock.later(t, 0, 4)
    steps.append(_Step(t, "close"))
    if rng.random() < 0.8 or "archive" in force:
        steps.append(_Step(clock.later(t, 10, 60), "archive"))
    return steps


_OUTCOMES = (("success", 68), ("terminated", 11), ("declined", 5), ("referred_early", 6),
             ("referred", 3), ("withdrawn_early", 3), ("withdrawn", 4))
# Stage after each step: a case cut just after that step is in this stage.
_STAGE_AFTER = {
    "register": workflow.REGISTERED, "track": workflow.REGISTERED, "assign": workflow.REGISTERED,
    "accept": workflow.ACCEPTED, "investigation": workflow.INVESTIGATING,
    "session": workflow.MEDIATING, "agreement": workflow.AGREED, "sign": workflow.AGREED,
    "follow_up": workflow.PERFORMING, "close": workflow.CLOSED, "archive": workflow.ARCHIVED,
    "decline": workflow.CLOSED, "refer": workflow.CLOSED, "withdraw": workflow.CLOSED,
    "terminate": workflow.TERMINATED,
}
# Cases forced first so that every stage and track appears even in a tiny demo:
# (outcome, track, stage it must be in now).
_FORCED: tuple[tuple[str, str | None, str], ...] = (
    ("success", None, workflow.REGISTERED),
    ("success", workflow.PEOPLE, workflow.ACCEPTED),
    ("success", workflow.POLICE, workflow.MEDIATING),
    ("success", workflow.PEOPLE, workflow.AGREED),
    ("success", workflow.PEOPLE, workflow.PERFORMING),
    ("terminated", workflow.PEOPLE, workflow.TERMINATED),
    ("success", workflow.POLICE, workflow.CLOSED),
    ("success", workflow.PEOPLE, workflow.ARCHIVED),
    ("referred_early", workflow.REFER, workflow.CLOSED),
    ("declined", None, workflow.CLOSED),
    ("success", workflow.PEOPLE, workflow.INVESTIGATING),
)


def _cut(steps: list[_Step], now: dt.datetime) -> list[_Step]:
    return [s for s in steps if s.at <= now]


def _shift_to_stage(steps: list[_Step], stage: str, now: dt.datetime) -> list[_Step] | None:
    """Move the whole timeline in time so that the case is in ``stage`` now."""
    for i, s in enumerate(steps):
        if _STAGE_AFTER[s.action] != stage:
            continue
        nxt = steps[i + 1].at if i + 1 < len(steps) else s.at + dt.timedelta(days=30)
        # Now falls between this step and the next (or 1 h after the last).
        target = s.at + min((nxt - s.at) / 2, dt.timedelta(hours=1)) \
            if i + 1 < len(steps) else s.at + dt.timedelta(hours=1)
        delta = now - target
        shifted = [_Step(x.at + delta, x.action, dict(x.data)) for x in steps]
        for x in shifted:
            if "deadline" in x.data:
                x.data["deadline"] = x.data["deadline"] + dt.timedelta(days=delta.days)
        return _cut(shifted, now)
    return None


def _plan(rng: random.Random, ppl: _People, clock: _Clockwork, staff: DemoStaff, n: int,
          university: str) -> list[_Plan]:
    today = local_date(clock.now)
    plans: list[_Plan] = []
    for i in range(n):
        reg = _registration_time(rng, clock, today)
        scenario = _weighted(rng, _SCENARIOS)
        d: _Dispute = scenario(rng, ppl, university, local_date(reg))
        forced = _FORCED[i] if i < len(_FORCED) else None
        if forced is not None:
            outcome, track, stage = forced
            if track == workflow.POLICE and not d.police_ok:
                d = _fight(rng, ppl, university, local_date(reg)) if rng.random() < 0.5 else \
                    _ebike(rng, ppl, university, local_date(reg))
                if any(r == "guardian" for r, _p, _x in d.parties):
                    d = _ebike(rng, ppl, university, local_date(reg))
        else:
            outcome = _weighted(rng, _OUTCOMES)
            track = workflow.POLICE if d.police_ok and rng.random() < 0.45 else workflow.PEOPLE
            if outcome == "referred_early":
                track = workflow.REFER
            elif outcome in ("declined", "withdrawn_early"):
                track = None
        force = {"investigation", "archive"} if forced is not None else set()
        full = _timeline(rng, clock, d, reg, track, outcome, force)
        steps = _shift_to_stage(full, forced[2], clock.now) if forced is not None else None
        if steps is None:
            steps = _cut(full, clock.now)
        if not any(s.action == "track" for s in steps) and track in (workflow.PEOPLE, workflow.POLICE):
            effective_track = None  # still waiting for the officer's decision
        else:
            effective_track = track
        officer_mediates = effective_track == workflow.POLICE
        pool = staff.officers if officer_mediates else staff.volunteers
        plans.append(_Plan(i, d, _weighted(rng, _SOURCES), effective_track,
                           rng.randrange(len(pool)), officer_mediates, steps))
    return plans


# ---------------------------------------------------------------- staff


def _staff(session: Session, desk_id: int, admin: Actor | None) -> DemoStaff:
    """The desk's active officers and volunteers; generated accounts added if missing."""
    users = session.execute(
        select(User).where(User.desk_id == desk_id, User.active.is_(True)).order_by(User.id)
    ).scalars().all()

    def actor(u: User) -> Actor:
        return accounts.actor_for(u)

    officers = [actor(u) for u in users if u.role == OFFICER]
    volunteers = [actor(u) for u in users if u.role in (VOLUNTEER, ADVISER)]
    if officers and volunteers:
        return DemoStaff(tuple(officers), tuple(volunteers))
    creator = admin
    if creator is None:
        admin_user = session.scalar(select(User).where(User.role == ADMIN, User.active.is_(True))
                                    .order_by(User.id).limit(1))
        if admin_user is None:
            raise ValidationError(field="setup", message=_("请先初始化系统（创建调解点和管理员），再生成演示数据。"))
        creator = accounts.actor_for(admin_user)
    rng = random.Random(desk_id)
    ppl = _People(rng, dt.date.today())
    # Generated accounts with a random password nobody knows: the administrator resets
    # one if a demo login is wanted.
    wanted = [] if officers else [(OFFICER, f"{ppl.surname()}警官") for _i in range(2)]
    wanted += [] if volunteers else [(VOLUNTEER, ppl.name(rng.choice(("男", "女")))[0]) for _i in range(6)]
    for n, (role, display) in enumerate(wanted, start=1):
        username = f"demo-{role}-{desk_id}-{n}-{secrets.token_hex(2)}"
        uid = accounts.create_user(session, creator, username=username, display_name=display, role=role,
                                   password=secrets.token_urlsafe(18) + "a1", desk_id=desk_id)
        user = session.get(User, uid)
        assert user is not None
        (officers if role == OFFICER else volunteers).append(actor(user))
    return DemoStaff(tuple(officers), tuple(volunteers))


# ---------------------------------------------------------------- entry point


def generate(
    target: Session | Database,
    *,
    cases: int,
    seed: int | None = None,
    desk_id: int | None = None,
    users: DemoStaff | None = None,
    admin: Actor | None = None,
    consultations: int | None = None,
    bulk_threshold: int = BULK_THRESHOLD,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> DemoSummary:
    """Add ``cases`` generated disputes (and some consultations) to a desk.

    Args:
        target: a Database (one write transaction is opened) or a session inside
            ``Database.write()`` (the caller commits).
        seed: same seed, same data (None: random).
        desk_id: the desk to fill (default: the first desk).
        users: who acts; default the desk's officers and volunteers, with generated
            accounts created by ``admin`` (or the first administrator) if there are none.
        consultations: how many legal consultations to log (default a quarter of
            ``cases``); about a tenth of the cases are converted from one.
        bulk_threshold: from this many cases on rows are bulk-inserted.
        progress: called as ``progress(done, total)``; raising from it cancels
            (everything is rolled back).
    """
    if isinstance(target, Database):
        with target.write() as session:
            return generate(session, cases=cases, seed=seed, desk_id=desk_id, users=users,
                            admin=admin, consultations=consultations,
                            bulk_threshold=bulk_threshold, progress=progress, now=now)
    session = target
    require_write(session)
    if cases < 0 or cases > 1_000_000:
        raise ValidationError(field="cases", message=_("案件数量应在 0 到 1000000 之间。"))
    started = time.perf_counter()
    if desk_id is None:
        desk_id = session.scalar(select(Desk.id).order_by(Desk.id).limit(1))
    desk = session.get(Desk, desk_id) if desk_id is not None else None
    if desk is None:
        raise ValidationError(field="desk_id", message=_("请先初始化系统（创建调解点和管理员），再生成演示数据。"))
    staff = users or _staff(session, desk.id, admin)
    if not staff.officers or not staff.volunteers:
        raise ValidationError(field="users", message=_("生成演示数据需要至少一名督导民警和一名值班学生。"))
    rng = random.Random(seed)
    now = now or utcnow()
    clock = _Clockwork(rng, now)
    ppl = _People(rng, local_date(now))
    university = rng.choice(_UNIVERSITIES)
    _t0 = time.perf_counter()
    plans = _plan(rng, ppl, clock, staff, cases, university)
    _TIMES["plan"] = time.perf_counter() - _t0
    n_consult = max(0, cases // 4 if consultations is None else consultations)
    consults = _plan_consultations(rng, ppl, clock, plans, n_consult, university)
    if cases >= bulk_threshold:
        writer: _Writer = _BulkWriter(session, desk, staff, progress)
    else:
        writer = _ServiceWriter(session, desk, staff, progress)
    audit_rows = writer.write(plans, consults)
    session.flush()
    ids = [p.case_id for p in plans if p.case_id is not None]
    stage_rows = session.execute(
        select(Case.stage, Case.track).where(Case.id.in_(ids))
    ).all() if len(ids) <= 5000 else session.execute(
        select(Case.stage, Case.track).where(Case.id >= min(ids), Case.id <= max(ids),
                                             Case.desk_id == desk.id)).all()
    return DemoSummary(
        cases=len(plans), consultations=len(consults),
        parties=len({p.party_id for plan in plans for _r, p, _x in plan.dispute.parties if p.party_id}),
        by_stage=dict(Counter(s for s, _t in stage_rows)),
        by_track=dict(Counter(t or "" for _s, t in stage_rows)),
        mode=writer.mode, seconds=round(time.perf_counter() - started, 3), audit_rows=audit_rows,
        first_case_id=min(ids) if ids else None, last_case_id=max(ids) if ids else None)


@dataclass
class _Consult:
    at: dt.datetime
    person: _Person
    topic: str
    category: str
    question: str
    answer: str
    minutes: int
    converted: int | None = None
    """Index of the plan it became."""
    consultation_id: int | None = None


def _plan_consultations(rng: random.Random, ppl: _People, clock: _Clockwork, plans: list[_Plan],
                        n: int, university: str) -> list[_Consult]:
    out: list[_Consult] = []
    today = local_date(clock.now)
    for _i in range(n):
        topic, category, question, answer = rng.choice(_CONSULT_TOPICS)
        person = ppl.student(university)
        at = _registration_time(rng, clock, today)
        out.append(_Consult(at, person, topic, category, question, answer,
                            rng.choice((5, 10, 10, 15, 20, 30, 45))))
    # About a tenth of the cases began as a consultation the same day, by the applicant.
    candidates = [p for p in plans if p.steps and p.steps[0].action == "register"]
    for plan in candidates[len(_FORCED):]:
        if rng.random() >= 0.1:
            continue
        reg = plan.steps[0].at
        applicant = plan.dispute.parties[0][1]
        topic, category, question, answer = rng.choice(_CONSULT_TOPICS)
        at = reg - dt.timedelta(minutes=rng.randrange(10, 240))
        out.append(_Consult(at, applicant, plan.dispute.title[:200], plan.dispute.category,
                            plan.dispute.facts[:300], answer, rng.choice((15, 20, 30)),
                            converted=plan.index))
        plan.consultation = len(out) - 1
    return out


# ---------------------------------------------------------------- writers


class _Writer:
    mode = ""

    def __init__(self, session: Session, desk: Desk, staff: DemoStaff, progress: Progress | None) -> None:
        self.session = session
        self.desk = desk
        self.staff = staff
        self.progress = progress

    def write(self, plans: list[_Plan], consults: list[_Consult]) -> int:
        raise NotImplementedError

    def mediator(self, plan: _Plan) -> Actor:
        pool = self.staff.officers if plan.mediator_is_officer else self.staff.volunteers
        return pool[plan.mediator % len(pool)]

    def officer(self, plan: _Plan) -> Actor:
        return self.staff.officers[plan.index % len(self.staff.officers)]

    def volunteer(self, plan: _Plan, salt: int = 0) -> Actor:
        return self.staff.volunteers[(plan.index + salt) % len(self.staff.volunteers)]


# Clock substitution for the services mode. The services read the time through
# ``mediation.services.cases.utcnow``/``local_today``; replaying a two-year history
# through them needs those to say "then". Only the demo does this, under a lock.
_clock_lock = threading.Lock()


@contextmanager
def _clock(at: dt.datetime) -> Iterator[None]:
    from mediation.services import cases as case_services

    saved = case_services.utcnow, case_services.local_today
    case_services.utcnow = lambda: at  # type: ignore[assignment]
    case_services.local_today = lambda: local_date(at)  # type: ignore[assignment]
    try:
        yield
    finally:
        case_services.utcnow, case_services.local_today = saved  # type: ignore[assignment]


class _ServiceWriter(_Writer):
    """Every step through the real services, in time order (audit trail included)."""

    mode = "services"

    def write(self, plans: list[_Plan], consults: list[_Consult]) -> int:
        from mediation.services import cases as cs
        from mediation.services import consultations as cons

        before = self._audit_count()
        events: list[tuple[dt.datetime, int, int, _Plan | _Consult, _Step | None]] = []
        for c_i, c in enumerate(consults):
            events.append((c.at, 0, c_i, c, None))
        for plan in plans:
            for s_i, step in enumerate(plan.steps):
                events.append((step.at, 1, plan.index * 1000 + s_i, plan, step))
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        total = len(events)
        with _clock_lock:
            for done, (at, _kind, _order, item, step) in enumerate(events, start=1):
                with _clock(at):
                    if isinstance(item, _Consult):
                        self._consult(cons, item)
                    else:
                        assert step is not None
                        self._step(cs, cons, item, step, consults)
                if self.progress is not None and (done % 50 == 0 or done == total):
                    self.progress(done, total)
        return self._audit_count() - before

    def _audit_count(self) -> int:
        from mediation.models import AuditLog

        return int(self.session.scalar(select(func.count()).select_from(AuditLog)) or 0)

    def _consult(self, cons: Any, c: _Consult) -> None:
        actor = self.staff.volunteers[c.minutes % len(self.staff.volunteers)]
        c.consultation_id = cons.log_consultation(self.session, actor, cons.ConsultationInput(
            topic=c.topic, answer=c.answer, person_name=c.person.name, phone=c.person.phone,
            question=c.question, category=c.category, minutes=c.minutes, asked_at=c.at))

    def _party_inputs(self, cs: Any, plan: _Plan) -> list[Any]:
        out = []
        for role, p, represents in plan.dispute.parties:
            out.append(cs.PartyInput(
                role=role, name=p.name, kind=p.kind, sex=p.sex, ethnicity=p.ethnicity,
                birth_date=p.birth if p.id_type != "resident_id" else None, id_type=p.id_type,
                id_number=p.id_number, phone=p.phone, address=p.address, occupation=p.occupation,
                legal_representative=p.legal_representative, represents=represents,
                existing_party_id=p.party_id))
        return out

    def _step(self, cs: Any, cons: Any, plan: _Plan, step: _Step, consults: list[_Consult]) -> None:
        s = self.session
        d = plan.dispute
        officer = self.officer(plan)
        volunteer = self.volunteer(plan)
        a = step.action
        if a == "register":
            data = cs.CaseInput(parties=self._party_inputs(cs, plan), facts=d.facts, claims=d.claims,
                                category=d.category, subcategory=d.subcategory, source=plan.source,
                                title=d.title, amount=d.amount, desk_id=self.desk.id,
                                registered_at=step.at)
            if plan.consultation is not None and consults[plan.consultation].consultation_id:
                ref = cons.convert_to_case(s, volunteer, consults[plan.consultation].consultation_id, data)
            else:
                ref = cs.register_case(s, volunteer, data)
            plan.case_id = ref.id
            links = s.execute(select(CaseParty.position, CaseParty.party_id)
                              .where(CaseParty.case_id == ref.id)).all()
            for pos, party_id in links:
                d.parties[pos][1].party_id = party_id
            return
        case_id = plan.case_id
        assert case_id is not None
        if a == "track":
            assert plan.track is not None
            cs.choose_track(s, officer, case_id, plan.track)
        elif a == "assign":
            cs.assign_mediator(s, officer, case_id, self.mediator(plan).user_id)
        elif a == "accept":
            cs.accept_case(s, officer, case_id)
        elif a == "investigation":
            cs.add_investigation(s, volunteer, case_id, cs.InvestigationInput(
                held_at=step.at, content=_investigation_text(d), place=_PLACES[0],
                subject=d.parties[-1][1].name))
        elif a == "session":
            result = step.data["result"]
            cs.add_session_record(s, self.mediator(plan), case_id, cs.SessionInput(
                held_at=step.at, content=_session_text(d, result), place=_PLACES[plan.index % len(_PLACES)],
                attendees=_attendees(d, self.mediator(plan)), result=result,
                recorder_id=volunteer.user_id))
        elif a == "agreement":
            oral = bool(step.data["oral"])
            cs.record_agreement(s, self.mediator(plan), case_id, cs.AgreementInput(
                kind="oral" if oral else "written", terms=d.terms, amount=d.amount,
                performance_manner=d.manner, performance_place=_PLACES[0],
                performance_deadline=step.data["deadline"], signed=oral, reached_at=step.at))
        elif a == "sign":
            cs.mark_agreement_signed(s, volunteer, case_id, signed_at=step.at)
        elif a == "follow_up":
            status = step.data["status"]
            cs.add_follow_up(s, volunteer, case_id, cs.FollowUpInput(
                visited_at=step.at, result=_follow_up_text(d, status), performance_status=status,
                method=("phone", "visit", "online")[plan.index % 3], reason=_("回访协议履行情况")))
        elif a == "close":
            cs.close_case(s, officer, case_id, prevented_escalation=plan.track == workflow.POLICE
                          and plan.index % 2 == 0)
        elif a == "archive":
            cs.archive_case(s, officer, case_id)
        elif a == "decline":
            cs.decline_case(s, officer, case_id, reason=step.data["reason"])
        elif a == "refer":
            cs.refer_case(s, officer, case_id, referred_to=step.data["to"], reason=step.data["reason"])
        elif a == "withdraw":
            cs.withdraw_case(s, officer, case_id, reason=step.data["reason"])
        elif a == "terminate":
            cs.terminate_case(s, officer, case_id, reason=step.data["reason"], routes=step.data["routes"])
        else:  # pragma: no cover - every action above
            raise ValueError(a)


def _investigation_text(d: _Dispute) -> str:
    return f"向{d.parties[-1][1].name}了解情况并查看相关凭证（转账记录、聊天记录、照片），核实：{d.facts[:60]}……"


def _session_text(d: _Dispute, result: str) -> str:
    a, b = d.parties[0][1].name, d.parties[1][1].name
    said = f"申请人{a}陈述：{d.claims}被申请人{b}称对部分事实无异议，但对金额有不同意见。调解员释法明理，"
    return said + {"agreed": "双方最终自愿达成协议。", "failed": "双方分歧较大，未能达成一致。",
                   "continued": "双方同意回去考虑后再次调解。"}[result]


def _attendees(d: _Dispute, mediator: Actor) -> str:
    return "、".join([p.name for _r, p, _x in d.parties] + [mediator.display_name])


def _follow_up_text(d: _Dispute, status: str) -> str:
    return {"performed": "电话回访，申请人确认协议已履行完毕，双方无新的争议。",
            "partly": "回访得知被申请人已履行部分义务，余款承诺于月底前付清。",
            "breached": "回访得知被申请人未按期履行，已告知申请人可申请司法确认或向法院起诉。",
            "pending": "回访时协议尚在履行期内。"}[status]


class _BulkWriter(_Writer):
    """The same rows the services would write, bulk-inserted in chunks (one transaction)."""

    mode = "bulk"

    def write(self, plans: list[_Plan], consults: list[_Consult]) -> int:
        s = self.session
        dialect = s.get_bind().dialect.name
        if dialect == "postgresql":
            # Explicit ids below: keep other writers out of these tables until commit.
            s.execute(text("LOCK TABLE party, mediation_case, case_party, case_event, session_record,"
                           " investigation_record, follow_up, consultation IN EXCLUSIVE MODE"))
        self.ids = {t.__tablename__: int(s.scalar(select(func.coalesce(func.max(t.id), 0))) or 0)
                    for t in (Party, Case, CaseParty, CaseEvent, SessionRecord, InvestigationRecord,
                              FollowUp, Consultation)}
        self.cal: WorkCalendar = deadlines.calendar(s)
        self.rules = deadlines.deadline_rules(s, self.desk.id)
        self._number_cases(plans)
        self._insert_consultations(consults, plans)
        audit_rows = 0
        total = len(plans)
        for start in range(0, total, CHUNK):
            chunk = plans[start:start + CHUNK]
            self._insert_chunk(chunk, consults)
            audit.append(s, user_id=self.staff.officers[0].user_id, action="demo.generate",
                         entity="case", after={
                             "cases": len(chunk), "first_case_id": chunk[0].case_id,
                             "last_case_id": chunk[-1].case_id, "desk_id": self.desk.id})
            audit_rows += 1
            if self.progress is not None:
                self.progress(min(start + CHUNK, total), total)
        self._store_sequences()
        if dialect == "postgresql":
            for table in self.ids:
                s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                               f" (SELECT coalesce(max(id), 1) FROM {table}))"))
        return audit_rows

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    # -- numbers

    def _number_cases(self, plans: list[_Plan]) -> None:
        """Case ids in registration order; numbers in acceptance order per year."""
        plans.sort(key=lambda p: p.steps[0].at)
        for p in plans:
            p.case_id = self.next_id("mediation_case")
        accepted = sorted(((step.at, p) for p in plans for step in p.steps if step.action == "accept"),
                          key=lambda x: (x[0], x[1].index))
        self.numbers: dict[int, tuple[int, int, str]] = {}
        self.last_seq: dict[int, int] = {}
        for at, p in accepted:
            year = local_date(at).year
            if year not in self.last_seq:
                self.last_seq[year] = self._take_sequence(year)
            self.last_seq[year] += 1
            seq = self.last_seq[year]
            assert p.case_id is not None
            self.numbers[p.case_id] = (year, seq, format_case_number(year, self.desk.number_prefix, seq))

    def _take_sequence(self, year: int) -> int:
        s = self.session
        values = {"desk_id": self.desk.id, "year": year, "kind": "case", "last_value": 0}
        stmt = (pg_insert(NumberSequence) if s.get_bind().dialect.name == "postgresql"
                else sqlite_insert(NumberSequence)).values(**values).on_conflict_do_nothing()
        s.execute(stmt)
        return int(s.execute(
            select(NumberSequence.last_value).where(
                NumberSequence.desk_id == self.desk.id, NumberSequence.year == year,
                NumberSequence.kind == "case").with_for_update()).scalar_one())

    def _store_sequences(self) -> None:
        for year, last in self.last_seq.items():
            self.session.execute(update(NumberSequence).where(
                NumberSequence.desk_id == self.desk.id, NumberSequence.year == year,
                NumberSequence.kind == "case").values(last_value=last))

    # -- rows

    def _insert_consultations(self, consults: list[_Consult], plans: list[_Plan]) -> None:
        by_index = {p.index: p for p in plans}
        rows = []
        for c in consults:
            c.consultation_id = self.next_id("consultation")
            case_id = by_index[c.converted].case_id if c.converted is not None else None
            rows.append({
                "id": c.consultation_id, "desk_id": self.desk.id, "asked_at": c.at,
                "person_name": c.person.name, "phone": c.person.phone, "topic": c.topic,
                "category": c.category, "question": c.question, "answer": c.answer,
                "minutes": c.minutes, "answered_by_id": self.staff.volunteers[
                    c.minutes % len(self.staff.volunteers)].user_id,
                "converted_case_id": case_id, "created_at": c.at})
        conn = self.session.connection()
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(Consultation.__table__), rows[start:start + CHUNK])

    def _insert_chunk(self, plans: list[_Plan], consults: list[_Consult]) -> None:
        parties: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        cases: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        sessions: list[dict[str, Any]] = []
        invs: list[dict[str, Any]] = []
        fus: list[dict[str, Any]] = []
        _t0 = time.perf_counter()
        for plan in plans:
            self._rows(plan, consults, parties, links, cases, events, sessions, invs, fus)
        _TIMES["rows"] = _TIMES.get("rows", 0.0) + time.perf_counter() - _t0
        # Core executemany on the tables (not the ORM bulk path, which splits the rows
        # into many small statements by which values are None).
        conn = self.session.connection()
        for model, rows in ((Party, parties), (Case, cases), (CaseParty, links), (CaseEvent, events),
                            (SessionRecord, sessions), (InvestigationRecord, invs), (FollowUp, fus)):
            if rows:
                _t0 = time.perf_counter()
                conn.execute(insert(model.__table__), rows)
                _TIMES[model.__tablename__] = _TIMES.get(model.__tablename__, 0.0) + time.perf_counter() - _t0

    def _rows(self, plan: _Plan, consults: list[_Consult], parties: list[dict[str, Any]],
              links: list[dict[str, Any]], cases: list[dict[str, Any]], events: list[dict[str, Any]],
              sessions: list[dict[str, Any]], invs: list[dict[str, Any]], fus: list[dict[str, Any]]) -> None:
        d = plan.dispute
        case_id = plan.case_id
        assert case_id is not None
        reg = plan.steps[0].at
        volunteer = self.volunteer(plan)
        officer = self.officer(plan)
        mediator = self.mediator(plan)
        link_ids: list[int] = []
        for pos, (role, p, represents) in enumerate(d.parties):
            if p.party_id is None:
                p.party_id = self.next_id("party")
                parties.append({
                    "id": p.party_id, "kind": p.kind, "name": p.name, "sex": p.sex,
                    "ethnicity": p.ethnicity, "birth_date": p.birth, "id_type": p.id_type,
                    "id_number": p.id_number, "phone": p.phone, "address": p.address,
                    "occupation": p.occupation, "legal_representative": p.legal_representative,
                    "note": "", "created_by_id": volunteer.user_id, "created_at": reg, "updated_at": reg})
            link_id = self.next_id("case_party")
            link_ids.append(link_id)
            links.append({"id": link_id, "case_id": case_id, "party_id": p.party_id, "role": role,
                          "represents_id": link_ids[represents] if represents is not None else None,
                          "position": pos})
        st: dict[str, Any] = {
            "stage": workflow.REGISTERED, "track": None, "track_decided_by_id": None,
            "accepted_at": None, "accepted_by_id": None, "mediator_id": None, "result": None,
            "outcome_reason": "", "referred_to": "", "routes_suggested": "",
            "agreement_kind": None, "agreement_number": None, "agreement_terms": "",
            "agreement_amount": None, "performance_manner": "", "performance_place": "",
            "performance_deadline": None, "agreement_reached_at": None, "agreement_signed_at": None,
            "performance_status": None, "closed_at": None, "closed_by_id": None, "archived_at": None,
            "retention_years": None, "prevented_escalation": False, "number": None, "year": None,
            "seq": None,
        }
        session_times: list[dt.datetime] = []
        version = 1

        def event(step: _Step, kind: str, summary: str, user: Actor, *, to: str | None = None,
                  data: dict[str, Any] | None = None) -> None:
            frm = st["stage"] if to else None
            if to:
                st["stage"] = to
            events.append({"id": self.next_id("case_event"), "case_id": case_id, "at": step.at,
                           "user_id": user.user_id, "kind": kind, "stage_from": frm, "stage_to": to,
                           "summary": summary, "data": data})

        for step in plan.steps:
            a = step.action
            version += 1
            if a == "register":
                version = 1
                events.append({"id": self.next_id("case_event"), "case_id": case_id, "at": step.at,
                               "user_id": volunteer.user_id, "kind": "registered", "stage_from": None,
                               "stage_to": workflow.REGISTERED, "summary": _("登记纠纷"), "data": None})
            elif a == "track":
                st["track"], st["track_decided_by_id"] = plan.track, officer.user_id
                event(step, "track", _("确定调解类型：{t}").format(t=workflow.track_label(plan.track)),
                      officer, data={"track": plan.track, "exclusions_acknowledged": []})
            elif a == "assign":
                st["mediator_id"] = mediator.user_id
                event(step, "assigned", _("指派调解员：{n}").format(n=mediator.display_name), officer,
                      data={"mediator_id": mediator.user_id})
            elif a == "accept":
                year, seq, number = self.numbers[case_id]
                st.update(number=number, year=year, seq=seq, accepted_at=step.at,
                          accepted_by_id=officer.user_id)
                event(step, "accept", _("受理"), officer, to=workflow.ACCEPTED)
            elif a == "investigation":
                invs.append({"id": self.next_id("investigation_record"), "case_id": case_id,
                             "held_at": step.at, "place": _PLACES[0], "subject": d.parties[-1][1].name,
                             "content": _investigation_text(d), "investigator_id": volunteer.user_id,
                             "created_at": step.at})
                if st["stage"] == workflow.ACCEPTED:
                    event(step, "investigate", _("开始调查"), volunteer, to=workflow.INVESTIGATING)
                event(step, "investigation", _("调查记录：{s}").format(s=d.parties[-1][1].name), volunteer)
            elif a == "session":
                result = step.data["result"]
                sessions.append({"id": self.next_id("session_record"), "case_id": case_id,
                                 "held_at": step.at, "place": _PLACES[plan.index % len(_PLACES)],
                                 "attendees": _attendees(d, mediator), "content": _session_text(d, result),
                                 "result": result, "mediator_id": mediator.user_id,
                                 "recorder_id": volunteer.user_id, "created_at": step.at})
                session_times.append(step.at)
                if st["stage"] != workflow.MEDIATING:
                    event(step, "mediate", _("开始调解"), mediator, to=workflow.MEDIATING)
                label = {"continued": "继续调解", "agreed": "达成协议", "failed": "调解不成"}[result]
                event(step, "session", _("调解记录（{r}）").format(r=_(label)), mediator)
            elif a == "agreement":
                oral = bool(step.data["oral"])
                st.update(agreement_kind="oral" if oral else "written", agreement_terms=d.terms,
                          agreement_amount=d.amount, performance_manner=d.manner,
                          performance_place=_PLACES[0], performance_deadline=step.data["deadline"],
                          agreement_number=st["number"], agreement_reached_at=step.at,
                          performance_status="pending",
                          agreement_signed_at=step.at if oral else None)
                event(step, "agree", _("口头协议登记") if oral else _("达成书面调解协议"), mediator,
                      to=workflow.AGREED)
            elif a == "sign":
                st["agreement_signed_at"] = step.at
                event(step, "signed", _("协议已签署"), volunteer)
            elif a == "follow_up":
                status = step.data["status"]
                fus.append({"id": self.next_id("follow_up"), "case_id": case_id, "visited_at": step.at,
                            "method": ("phone", "visit", "online")[plan.index % 3],
                            "reason": _("回访协议履行情况"), "result": _follow_up_text(d, status),
                            "performance_status": status, "user_id": volunteer.user_id,
                            "created_at": step.at})
                st["performance_status"] = status
                if st["stage"] == workflow.AGREED:
                    event(step, "perform", _("进入履行/回访"), volunteer, to=workflow.PERFORMING)
                event(step, "follow_up", _("回访：{s}").format(s=_(workflow.PERFORMANCE[status])), volunteer)
            elif a == "close":
                action = {workflow.AGREED: "close_agreed", workflow.PERFORMING: "close",
                          workflow.TERMINATED: "close_terminated"}[st["stage"]]
                t = workflow.transition(action)
                if t.result:
                    st["result"] = t.result
                st.update(closed_at=step.at, closed_by_id=officer.user_id,
                          prevented_escalation=plan.track == workflow.POLICE and plan.index % 2 == 0)
                event(step, action, _("结案"), officer, to=workflow.CLOSED)
            elif a == "archive":
                st.update(archived_at=step.at, retention_years=10)
                event(step, "archive", _("归档"), officer, to=workflow.ARCHIVED)
            elif a in ("decline", "refer", "withdraw", "terminate"):
                reason = step.data["reason"]
                t = workflow.transition(a)
                st["result"] = t.result
                st["outcome_reason"] = reason
                if a == "decline":
                    summary = _("不予受理：{r}").format(r=reason)
                elif a == "refer":
                    if st["track"] is None:
                        st["track"] = workflow.REFER
                    st["referred_to"] = step.data["to"]
                    summary = _("引导/移送至{to}：{r}").format(to=step.data["to"], r=reason)
                elif a == "withdraw":
                    summary = _("申请人撤回：{r}").format(r=reason)
                else:
                    st["routes_suggested"] = step.data["routes"]
                    summary = _("终止调解：{r}").format(r=reason)
                if t.target == workflow.CLOSED:
                    st.update(closed_at=step.at, closed_by_id=officer.user_id)
                event(step, a, summary, officer, to=t.target)
        deadline, label = self._deadline(st, session_times)
        consultation_id = (consults[plan.consultation].consultation_id
                           if plan.consultation is not None else None)
        cases.append({
            "id": case_id, "desk_id": self.desk.id, "category": d.category,
            "subcategory": d.subcategory, "source": plan.source, "title": d.title,
            "party_names": _party_names(d)[:500],
            "party_phones": " ".join(p.phone for _r, p, _x in d.parties if p.phone)[:500],
            "facts": d.facts, "claims": d.claims, "amount": d.amount,
            "people_involved": len(d.parties), "registered_at": reg,
            "registered_by_id": volunteer.user_id, "deadline": deadline, "deadline_label": label,
            "police_exclusions_ack": None, "consultation_id": consultation_id,
            "created_at": reg, "updated_at": plan.steps[-1].at, "version_id": version, **st})

    def _deadline(self, st: dict[str, Any], session_times: list[dt.datetime]) -> tuple[dt.date | None, str]:
        """What :func:`deadlines.refresh_case_deadline` would have left on the case."""
        deadline: dt.date | None = None
        label = ""
        if st["track"] is not None:
            for rule in self.rules:
                if rule.track != st["track"] or rule.stage != st["stage"]:
                    continue
                anchor: dt.datetime | None
                if rule.anchor == "accepted_at":
                    anchor = st["accepted_at"]
                elif rule.anchor == "agreement_reached_at":
                    anchor = st["agreement_signed_at"] or st["agreement_reached_at"]
                elif rule.anchor == "first_session_at":
                    if len(session_times) != 1:
                        continue
                    anchor = session_times[0]
                else:
                    continue
                if anchor is None:
                    continue
                start = local_date(anchor)
                deadline = (self.cal.add_workdays(start, rule.amount) if rule.unit == "working_days"
                            else self.cal.end_of_period(start, rule.amount))
                label = _(rule.label)
                break
        if st["stage"] in (workflow.CLOSED, workflow.ARCHIVED, workflow.TERMINATED):
            deadline, label = None, ""
        if st["stage"] in (workflow.PERFORMING, workflow.AGREED) and st["performance_deadline"]:
            if deadline is None or st["performance_deadline"] < deadline:
                deadline, label = st["performance_deadline"], _("履行期限")
        return deadline, label


def _party_names(d: _Dispute) -> str:
    from mediation.services.cases import party_summary

    return party_summary([(role, p.name) for role, p, _x in d.parties])

