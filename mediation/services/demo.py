"""Demo data: realistic campus disputes between generated (never real) people.

:func:`generate` first plans every case as a timeline (registered → track → accepted
→ investigation → sessions → agreement → follow-ups → closed → archived, or declined,
referred, withdrawn, terminated) spread over the last two years; steps later than now
are cut off, so recent cases are still open and older ones closed or archived. The
first few cases are placed so that every stage and track appears even in a tiny demo.
The plan is then written in one of two ways:

* few cases (``cases < bulk_threshold``): every step goes through the real services
  (validation, workflow guards, numbering, deadlines, audit trail), in time order,
  each at its own past moment (see :func:`_clock`);
* many cases: SQLAlchemy Core inserts, executemany in chunks, in one transaction,
  with the rows the services would have written (numbers gapless per desk and year in
  acceptance order and matching ``number_sequence``, timeline events, sessions,
  follow-ups, deadlines) and one ``demo.generate`` audit row per chunk. On SQLite the
  search index is filled once for all new rows instead of row by row by its triggers,
  and a helper process builds the rows while this one inserts them. 100,000 cases
  (1.7 million rows) take about 35 s on a 2-core machine (BENCHMARKS.md).

People are made up: random surnames and given names (two- and three-character names,
compound surnames such as 欧阳 and 司马, rare characters such as 䶮, 𠮷 and 㛃, names
with ``·``, foreign students with passports), resident ID numbers with a correct check
character, mobile and landline numbers.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import heapq
import json
import logging
import os
import pickle
import random
import secrets
import subprocess
import sys
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, column, func, insert, select, table, text, update
from sqlalchemy.orm import Session

from mediation import workflow
from mediation.db import Database, require_write
from mediation.errors import ValidationError
from mediation.i18n import _, current_language, set_language
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
from mediation.services import accounts, audit, deadlines, numbering
from mediation.services.parties import party_summary
from mediation.services.numbering import format_case_number
from mediation.services.search import forget_modes
from mediation.timeutil import clock_at, desk_tz, local_today, utcnow
from mediation.validation import resident_id_check_char

log = logging.getLogger(__name__)

BULK_THRESHOLD = 2000
"""From this many cases on, rows are bulk-inserted instead of going through services."""
CHUNK = 5000
"""Cases per executemany batch (and per ``demo.generate`` audit row) in bulk mode."""
SPAN_DAYS = 730
MAX_CASES = 1_000_000
PARALLEL_THRESHOLD = 20_000
"""Bulk demos this large build their rows in a second process (when there are 2 CPUs)."""

Progress = Callable[[int, int], None]
T = TypeVar("T")

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


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
    """Distinct parties stored (landlords and shops come back in several cases)."""
    by_stage: dict[str, int]
    by_track: dict[str, int]
    """Track per case; "" for cases whose track is not decided yet (or never was)."""
    mode: str
    """services | bulk."""
    seconds: float
    audit_rows: int
    first_case_id: int | None = None
    last_case_id: int | None = None


# ---------------------------------------------------------------- randomness


def _pick(rng: random.Random, seq: Sequence[T]) -> T:
    return seq[int(rng.random() * len(seq))]


def _between(rng: random.Random, lo: int, hi: int) -> int:
    """An integer in [lo, hi] (``rng.random()`` based: several times faster than randrange)."""
    return lo + int(rng.random() * (hi - lo + 1))


class _Weighted:
    """Weighted choice by bisection on precomputed cumulative weights."""

    def __init__(self, items: Sequence[tuple[Any, int]]) -> None:
        self.values = [v for v, _w in items]
        self.cum: list[int] = []
        total = 0
        for _v, w in items:
            total += w
            self.cum.append(total)
        self.total = total

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


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
# Characters outside the basic CJK block (extensions A and B) that real names use.
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
_CITIES = ("临川", "滨江", "东湖", "南山")
_AREA_CODES = ("0571", "0755", "027", "028", "025")
_SEXES = ("男", "女")


@dataclass(slots=True)
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
    """Set once stored, so a landlord or a shop can come back in later cases."""


class _People:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today_ordinal = today.toordinal()
        self.landlords: list[_Person] = []
        self.shops: dict[str, list[_Person]] = {}

    def surname(self) -> str:
        if self.rng.random() < 0.04:
            return _pick(self.rng, _COMPOUND_SURNAMES)
        return _pick(self.rng, _SURNAMES)

    def name(self, sex: str) -> tuple[str, str]:
        """A generated name and the ethnicity that goes with it."""
        rng = self.rng
        r = rng.random()
        if r < 0.012:
            return f"{_pick(rng, _DOT_FIRST)}·{_pick(rng, _DOT_LAST)}", _pick(rng, ("维吾尔", "哈萨克", "蒙古"))
        pool = _GIVEN_MALE if sex == "男" else _GIVEN_FEMALE
        if r < 0.02:
            rare = _pick(rng, _RARE)
            return (rare + _pick(rng, pool) if rare == "𠮷" else self.surname() + rare), "汉"
        given = _pick(rng, pool)
        if rng.random() < 0.72:  # most given names have two characters
            given += _pick(rng, pool + _GIVEN_ANY)
        return self.surname() + given, _pick(rng, _ETHNIC)

    def resident_id(self, birth: dt.date, sex: str) -> str:
        """A resident ID number: region, date of birth, order (odd: male), check character."""
        order = _between(self.rng, 0, 4) * 2 + (1 if sex == "男" else 0)
        body = (f"{_pick(self.rng, _REGIONS)}{birth.year:04d}{birth.month:02d}{birth.day:02d}"
                f"{_between(self.rng, 10, 99)}{order}")
        return body + resident_id_check_char(body)

    def mobile(self) -> str:
        return _pick(self.rng, _MOBILE_PREFIXES) + f"{int(self.rng.random() * 10 ** 8):08d}"

    def birth(self, min_age: int, max_age: int) -> dt.date:
        return dt.date.fromordinal(self.today_ordinal - _between(self.rng, min_age * 366, max_age * 365))

    def _person(self, min_age: int, max_age: int, occupation: str, address: str) -> _Person:
        rng = self.rng
        sex = _pick(rng, _SEXES)
        r = rng.random()
        if r < 0.03:  # a foreign student: passport
            return _Person("person", _pick(rng, _FOREIGN), sex, "", self.birth(min_age, max_age),
                           "passport", _pick(rng, "EGKPM") + str(_between(rng, 10 ** 7, 10 ** 8 - 1)),
                           self.mobile(), address, occupation)
        name, ethnicity = self.name(sex)
        if r < 0.10:  # neither ID number nor date of birth known at intake
            return _Person("person", name, sex, ethnicity, None, "none", "", self.mobile(), address,
                           occupation)
        birth = self.birth(min_age, max_age)
        return _Person("person", name, sex, ethnicity, birth, "resident_id",
                       self.resident_id(birth, sex), self.mobile(), address, occupation)

    def student(self, university: str) -> _Person:
        rng = self.rng
        dorm = f"{university}{_between(rng, 1, 23)}号宿舍楼{_between(rng, 1, 6)}{_between(rng, 1, 39):02d}室"
        year = dt.date.fromordinal(self.today_ordinal).year
        occupation = f"{university}{_pick(rng, _MAJORS)}专业{_between(rng, year - 6, year)}级学生"
        # Ages count from today while cases go back two years: adults then as well.
        return self._person(20, 29, occupation, dorm)

    def adult(self, occupation: str) -> _Person:
        return self._person(32, 70, occupation, self.flat())

    def minor(self, university: str) -> _Person:
        sex = _pick(self.rng, _SEXES)
        name, ethnicity = self.name(sex)
        birth = self.birth(14, 15)
        return _Person("person", name, sex, ethnicity, birth, "resident_id", self.resident_id(birth, sex),
                       self.mobile(), self.flat(), f"{university}附属中学学生")

    def flat(self) -> str:
        rng = self.rng
        return (f"学府路{_between(rng, 1, 299)}号{_pick(rng, _ESTATES)}{_between(rng, 1, 29)}栋"
                f"{_between(rng, 1, 5)}单元{_between(rng, 101, 2999)}室")

    def landlord(self) -> _Person:
        if self.landlords and self.rng.random() < 0.2:
            return _pick(self.rng, self.landlords)
        p = self.adult(_pick(self.rng, ("个体房东", "退休职工", "自由职业", "某公司职员")))
        self.landlords.append(p)
        return p

    def shop(self, suffix: str) -> _Person:
        same = self.shops.setdefault(suffix, [])
        rng = self.rng
        if same and rng.random() < 0.25:
            return _pick(rng, same)
        rep, _eth = self.name(_pick(rng, _SEXES))
        area = _pick(rng, _AREA_CODES)
        digits = 8 if len(area) == 3 else 7
        phone = f"{area}-{_between(rng, 2, 8)}{int(rng.random() * 10 ** (digits - 1)):0{digits - 1}d}"
        p = _Person("org", f"{_pick(rng, _CITIES)}{_pick(rng, _SHOP_WORDS)}{suffix}", "", "", None,
                    "other", "", phone, self.flat(), "", legal_representative=rep)
        same.append(p)
        return p


# ---------------------------------------------------------------- dispute scenarios


@dataclass(slots=True)
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
    """(role, person, index of the party an agent or guardian acts for)."""
    police_ok: bool = False
    refer_to: str = ""
    refer_reason: str = ""


def _money(rng: random.Random, lo: int, hi: int, step: int = 50) -> Decimal:
    return Decimal(_between(rng, lo // step, hi // step) * step)


def _cn_date(day: int) -> str:
    d = dt.date.fromordinal(_EPOCH_ORDINAL + day)
    return f"{d.year}年{d.month}月{d.day}日"


Scenario = Callable[[random.Random, "_People", str, int], _Dispute]


def _deposit(rng: random.Random, ppl: _People, uni: str, day: int) -> _Dispute:
    a, b = ppl.student(uni), ppl.landlord()
    rent = _money(rng, 800, 3000, 100)
    deposit = rent * _pick(rng, (1, 2))
    excuse = _pick(rng, ("墙面有污损", "提前退租违约", "家电损坏", "未打扫卫生", "合同未到期"))
    facts = (f"申请人{a.name}于{_cn_date(day - _between(rng, 120, 400))}经口头约定租住被申请人{b.name}"
             f"位于{b.address}的房屋，月租金{rent}元，已交押金{deposit}元，未签订书面合同。申请人退租并交还"
             f"钥匙后，被申请人以{excuse}为由拒绝退还押金，双方多次协商未果。")
    return _Dispute("合同", "租房", f"{a.name}与{b.name}租房押金纠纷", facts,
                    f"请求被申请人退还押金{deposit}元。", deposit,
                    f"被申请人于协议签订后七日内退还申请人押金{deposit}元，双方租赁关系就此终结，再无其他争议。",
                    "微信转账", [("applicant", a, None), ("respondent", b, None)],
                    refer_to="人民法院", refer_reason="被申请人不同意调解，建议向人民法院起诉")


def _no_key(rng: random.Random, ppl: _People, uni: str, day: int) -> _Dispute:
    a, b = ppl.student(uni), ppl.landlord()
    paid = _money(rng, 1500, 9000, 100)
    facts = (f"申请人{a.name}通过微信与被申请人{b.name}口头约定租房，已预付三个月房租共{paid}元，"
             f"约定入住日被申请人未交付钥匙，称房屋已另租他人，至今未退还已付房租。")
    return _Dispute("房屋宅基地", "租房", f"{a.name}诉{b.name}口头租约未交房", facts,
                    f"请求被申请人退还已付房租{paid}元。", paid,
                    f"被申请人分两期退还申请人房租共计{paid}元，首期于三日内支付。", "银行转账",
                    [("applicant", a, None), ("respondent", b, None)],
                    refer_to="人民法院", refer_reason="双方对是否成立租赁合同分歧较大")


def _ebike(rng: random.Random, ppl: _People, uni: str, day: int) -> _Dispute:
    a, b = ppl.student(uni), ppl.student(uni)
    cost = _money(rng, 150, 2600, 10)
    place = _pick(rng, ("第二食堂门口", "图书馆东侧路口", "南门快递点", "12号宿舍楼车棚", "体育馆停车区"))
    vehicle = _pick(rng, ("电动车", "自行车", "电动自行车"))
    facts = (f"{_cn_date(day)}傍晚，被申请人{b.name}在校内{place}骑电动车时与申请人{a.name}的{vehicle}"
             f"发生碰撞，造成{vehicle}车架变形、车灯损坏，维修报价{cost}元。双方对责任划分有争议。")
    category = "道路交通事故" if rng.random() < 0.5 else "损害赔偿"
    return _Dispute(category, "电动车/自行车" if category == "道路交通事故" else "财物损坏",
                    f"{a.name}{vehicle}被撞损坏赔偿纠纷", facts, f"请求被申请人赔偿维修费用{cost}元。", cost,
                    f"被申请人赔偿申请人车辆维修费{cost}元，当场以微信转账方式支付。", "微信转账",
                    [("applicant", a, None), ("respondent", b, None)], police_ok=True,
                    refer_to="交警部门", refer_reason="涉及机动车道交通事故责任认定")


def _loan(rng: random.Random, ppl: _People, uni: str, day: int) -> _Dispute:
    a, b = ppl.student(uni), ppl.student(uni)
    amount = _money(rng, 300, 12000, 100)
    purpose = _pick(rng, ("购买手机", "支付考研培训费", "周转生活费", "偿还网贷", "旅游"))
    facts = (f"申请人{a.name}与被申请人{b.name}系同宿舍室友。{_cn_date(day - _between(rng, 30, 300))}"
             f"被申请人以{purpose}为由向申请人借款{amount}元，有微信转账记录和聊天记录为证，"
             f"约定一个月内归还，逾期至今未还。")
    return _Dispute("合同" if rng.random() < 0.7 else "其他", "借贷", f"室友{b.name}借款{amount}元未还",
                    facts, f"请求被申请人归还借款{amount}元。", amount,
                    f"被申请人分期归还借款{amount}元，每月15日前支付不少于五百元，直至还清。", "分期微信转账",
                    [("applicant", a, None), ("respondent", b, None)],
                    refer_to="人民法院", refer_reason="被申请人否认借款事实")


def _online(rng: random.Random, ppl: _People, uni: str, day: int) -> _Dispute:
    a = ppl.student(uni)
    b = ppl.shop(_pick(rng, ("数码专营店", "旗舰店", "服饰店", "教育咨询有限公司")))
    price = _money(rng, 60, 8000, 10)
    item = _pick(rng, ("笔记本电脑", "蓝牙耳机", "二手手机", "羽绒服", "考研网课", "平板电脑", "健身卡"))
    facts = (f"申请人{a.name}于{_cn_date(day - _between(rng, 5, 60))}在被申请人{b.name}购买{item}，"
             f"支付{price}元。收货后发现{item}与描述不符、存在质量问题，申请人要求退货退款，"
             f"被申请人以已过退换期为由拒绝。")
    return _Dispute("消费" if rng.random() < 0.6 else "合同", "网购/消费", f"{item}网购退款纠纷", facts,
                    f"请求被申请人办理退货并退还货款{price}元。", price,
                    f"申请人将{item}寄回，被申请人收货后三日内全额退还货款{price}元。", "原支付渠道退回",
                    [("applicant", a, None), ("respondent", b, None)],
                    refer_to="消费者协会", refer_reason="商家在外地，建议向消费者协会投诉")


def _noise(rng: random.Random, ppl: _People, uni: str, day: int) -> _Dispute:
    a, b = ppl.student(uni), ppl.student(uni)
    what = _pick(rng, ("深夜打游戏大声喧哗", "凌晨外放视频", "在宿舍内使用大功率电器", "长期不打扫公共区域"))
    facts = (f"申请人{a.name}与被申请人{b.name}同住{a.address}。被申请人{what}，申请人多次劝说无果，"
             f"{_cn_date(day)}晚双方发生口角并互相推搡，宿管报警后民警到场制止。")
    return _Dispute("邻里", "宿舍" if rng.random() < 0.6 else "噪音", f"{a.name}与{b.name}宿舍矛盾", facts,
                    "请求被申请人赔礼道歉并保证不再发生类似行为。", None,
                    "被申请人向申请人当面赔礼道歉，双方承诺遵守宿舍作息约定，互不追究。", "当面道歉",
                    [("applicant", a, None), ("respondent", b, None)], police_ok=True,
                    refer_to="学校学生工作处", refer_reason="需由学校调整宿舍")


def _fight(rng: random.Random, ppl: _People, uni: str, day: int) -> _Dispute:
    a = ppl.student(uni)
    minor = rng.random() < 0.15
    b = ppl.minor(uni) if minor else ppl.student(uni)
    cost = _money(rng, 200, 5000, 10)
    place = _pick(rng, ("篮球场", "食堂二楼", "校门口奶茶店", "操场", "网吧"))
    facts = (f"{_cn_date(day)}，申请人{a.name}与被申请人{b.name}在{place}因琐事发生争执，继而互殴，"
             f"申请人面部软组织挫伤，花去医疗费{cost}元，经派出所出警处置。")
    parties: list[tuple[str, _Person, int | None]] = [("applicant", a, None), ("respondent", b, None)]
    if minor:  # a minor party needs a guardian (DOMAIN §2)
        parties.append(("guardian", ppl.adult(_pick(rng, ("个体经营", "公司职员", "教师"))), 1))
    return _Dispute("损害赔偿", "人身损害", f"{a.name}与{b.name}互殴致伤", facts,
                    f"请求被申请人赔偿医疗费、误工费共计{cost}元。", cost,
                    f"被申请人赔偿申请人医疗费等各项损失共计{cost}元，当场付清，双方互不追究。", "现金当面支付",
                    parties, police_ok=True, refer_to="派出所治安部门", refer_reason="伤情需进一步鉴定")


def _wages(rng: random.Random, ppl: _People, uni: str, day: int) -> _Dispute:
    a = ppl.student(uni)
    b = ppl.shop(_pick(rng, ("餐饮管理有限公司", "奶茶店", "教育培训学校", "文化传媒有限公司")))
    days = _between(rng, 5, 59)
    daily = _pick(rng, (80, 100, 120, 150, 200))
    owed = Decimal(days * daily)
    facts = (f"申请人{a.name}于{_cn_date(day - days - 20)}起在被申请人{b.name}兼职，口头约定日薪{daily}元，"
             f"共工作{days}天。被申请人以试用期、考勤不合格为由拖欠工资{owed}元。")
    parties: list[tuple[str, _Person, int | None]] = [("applicant", a, None), ("respondent", b, None)]
    if rng.random() < 0.2:
        parties.append(("agent", ppl.adult(f"{b.name}行政人员"), 1))
    return _Dispute("劳动争议" if rng.random() < 0.6 else "合同", "兼职/实习", f"{a.name}兼职工资被拖欠",
                    facts, f"请求被申请人支付拖欠工资{owed}元。", owed,
                    f"被申请人于十日内一次性支付申请人兼职工资{owed}元。", "银行转账", parties,
                    refer_to="劳动人事争议仲裁委员会", refer_reason="属劳动争议，告知申请劳动仲裁")


_SCENARIOS = _Weighted(((_deposit, 24), (_no_key, 6), (_ebike, 14), (_loan, 14), (_online, 16),
                        (_noise, 12), (_fight, 7), (_wages, 7)))
_SOURCES = _Weighted((("当事人申请", 60), ("学校转交", 12), ("派出所移交", 10), ("110警情转交", 8),
                      ("主动排查", 6), ("法院/其他部门委托", 4)))
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
_METHODS = ("phone", "visit", "online")


# ---------------------------------------------------------------- case timelines


@dataclass(slots=True)
class _Step:
    at: int
    """UTC, seconds since the epoch (planning works on plain integers: it is much faster)."""
    action: str
    """register | track | assign | accept | investigation | session | agreement | sign |
    follow_up | close | archive | decline | refer | withdraw | terminate."""
    data: dict[str, Any] | None = None


@dataclass(slots=True)
class _Consult:
    at: int
    person: _Person
    topic: str
    category: str
    question: str
    answer: str
    minutes: int
    consultation_id: int | None = None


@dataclass(slots=True)
class _Plan:
    index: int
    dispute: _Dispute
    source: str
    track: str | None
    mediator: int
    """Index into the officers (police mediation) or the volunteers (otherwise)."""
    mediator_is_officer: bool
    steps: list[_Step]
    accept_at: int | None
    consultation: _Consult | None = None
    """The consultation this case was converted from."""
    case_id: int | None = None


class _Clock:
    """Office hours at the desk in its time zone; times are UTC epoch seconds."""

    def __init__(self, rng: random.Random, now: dt.datetime) -> None:
        self.rng = rng
        self.now = int(now.timestamp())
        self.tz = desk_tz()
        self._offsets: dict[int, int] = {}
        # China has no daylight saving time: one offset for the whole span, which
        # makes every step below a little arithmetic instead of a time zone lookup.
        today = self.now // 86400
        samples = {self._lookup(today - d) for d in range(-400, SPAN_DAYS + 800, 15)}
        self.fixed: int | None = samples.pop() if len(samples) == 1 else None

    def _lookup(self, day: int) -> int:
        delta = (_EPOCH + dt.timedelta(days=day, hours=12)).astimezone(self.tz).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    def offset(self, day: int) -> int:
        """Seconds the desk is ahead of UTC on ``day`` (days since the epoch)."""
        if self.fixed is not None:
            return self.fixed
        o = self._offsets.get(day)
        if o is None:
            o = self._offsets[day] = self._lookup(day)
        return o

    def local_day(self, ts: int) -> int:
        if self.fixed is not None:
            return (ts + self.fixed) // 86400
        return (ts + self.offset(ts // 86400)) // 86400

    def local_date(self, ts: int) -> dt.date:
        return dt.date.fromordinal(_EPOCH_ORDINAL + self.local_day(ts))

    def office(self, day: int, *, evening: bool = False) -> int:
        secs = (64800 + int(self.rng.random() * 14400)) if evening else (30600 + int(self.rng.random() * 32400))
        return day * 86400 + secs - self.offset(day)

    def later(self, start: int, lo: int, hi: int) -> int:
        """A moment ``lo``–``hi`` days after ``start``, in office hours, mostly on weekdays."""
        day = self.local_day(start) + _between(self.rng, lo, hi)
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
        if weekday >= 5 and self.rng.random() < 0.85:
            day += 7 - weekday
        t = self.office(day)
        return t if t > start else start + _between(self.rng, 300, 5400)

    def registration(self) -> int:
        """A registration time in the last two years: fewer in vacations and at weekends."""
        today = self.local_day(self.now)
        while True:
            day = today - int(self.rng.random() * SPAN_DAYS)
            month = dt.date.fromordinal(_EPOCH_ORDINAL + day).month
            if month in (1, 2, 7, 8) and self.rng.random() < 0.55:
                continue
            if (day + 3) % 7 >= 5 and self.rng.random() < 0.6:
                continue
            t = self.office(day, evening=self.rng.random() < 0.1)
            if t < self.now:
                return t


_OUTCOMES = _Weighted((("success", 68), ("terminated", 11), ("declined", 5), ("referred_early", 6),
                       ("referred", 3), ("withdrawn_early", 3), ("withdrawn", 4)))
_FOLLOW_UP_STATUS = _Weighted((("performed", 82), ("partly", 9), ("breached", 9)))
_DECLINE_REASONS = ("不属于人民调解受理范围", "纠纷已由人民法院受理", "一方当事人明确拒绝调解")
_TERMINATE_REASONS = ("双方分歧过大，经多次调解未能达成协议", "被申请人拒绝继续参加调解", "申请人要求通过诉讼解决")


def _timeline(rng: random.Random, clock: _Clock, d: _Dispute, reg: int, track: str | None,
              outcome: str, force: frozenset[str]) -> list[_Step]:
    """Every step of a case's life from registration on (cut at "now" by the caller).

    ``force`` names optional steps that must be there ("investigation", "archive").
    """
    steps = [_Step(reg, "register")]
    if outcome == "declined":
        steps.append(_Step(clock.later(reg, 0, 4), "decline", {"reason": _pick(rng, _DECLINE_REASONS)}))
        return steps
    if outcome == "referred_early":
        steps.append(_Step(clock.later(reg, 0, 3), "refer", {"to": d.refer_to, "reason": d.refer_reason}))
        return steps
    if outcome == "withdrawn_early":
        steps.append(_Step(clock.later(reg, 0, 5), "withdraw", {"reason": "双方已自行和解，申请人撤回申请"}))
        return steps
    t = clock.later(reg, 0, 3)
    steps += [_Step(t, "track"), _Step(t + 180, "assign"), _Step(t + 360, "accept")]
    t += 360
    if outcome == "referred":
        steps.append(_Step(clock.later(t, 1, 6), "refer", {"to": d.refer_to, "reason": d.refer_reason}))
        return steps
    if outcome == "withdrawn":
        steps.append(_Step(clock.later(t, 1, 10), "withdraw", {"reason": "申请人表示不再追究，撤回调解申请"}))
        return steps
    if "investigation" in force or rng.random() < 0.45:
        t = clock.later(t, 0, 2)
        steps.append(_Step(t, "investigation"))
    police = track == workflow.POLICE
    if police:  # at most one more session after the first (DOMAIN §2)
        sessions = 1 if rng.random() < 0.7 else 2
    else:
        sessions = _pick(rng, (1, 1, 2, 2, 3))
    for i in range(sessions):
        t = clock.later(t, 1 if i == 0 else 3, 3 if police else (6 if i == 0 else 10))
        if i < sessions - 1:
            result = "continued"
        else:
            result = "failed" if outcome == "terminated" else "agreed"
        steps.append(_Step(t, "session", {"result": result}))
    if outcome == "terminated":
        t = clock.later(t, 0, 2)
        steps.append(_Step(t, "terminate", {"reason": _pick(rng, _TERMINATE_REASONS),
                                            "routes": f"可向{d.refer_to or '人民法院'}寻求解决"}))
        steps.append(_Step(clock.later(t, 1, 5), "close"))
        return steps
    oral = rng.random() < 0.35
    deadline_day = clock.local_day(t) + _between(rng, 3, 30)
    t += 1200
    steps.append(_Step(t, "agreement", {"oral": oral, "deadline_day": deadline_day}))
    if not oral:
        t = clock.later(t, 0, 2)
        steps.append(_Step(t, "sign"))
    status = _FOLLOW_UP_STATUS(rng)
    if status == "performed":
        t = clock.later(t, 1, 12)
    else:
        t = max(t, clock.office(deadline_day))
    t = clock.later(t, 0, 5)
    steps.append(_Step(t, "follow_up", {"status": status}))
    if status == "partly":
        t = clock.later(t, 5, 20)
        steps.append(_Step(t, "follow_up", {"status": "performed"}))
    t = clock.later(t, 0, 4)
    steps.append(_Step(t, "close"))
    if "archive" in force or rng.random() < 0.8:
        steps.append(_Step(clock.later(t, 10, 60), "archive"))
    return steps


# The stage a case is in when its history stops right after this step.
_STAGE_AFTER = {
    "register": workflow.REGISTERED, "track": workflow.REGISTERED, "assign": workflow.REGISTERED,
    "accept": workflow.ACCEPTED, "investigation": workflow.INVESTIGATING,
    "session": workflow.MEDIATING, "agreement": workflow.AGREED, "sign": workflow.AGREED,
    "follow_up": workflow.PERFORMING, "close": workflow.CLOSED, "archive": workflow.ARCHIVED,
    "decline": workflow.CLOSED, "refer": workflow.CLOSED, "withdraw": workflow.CLOSED,
    "terminate": workflow.TERMINATED,
}
# The first cases are placed so that every stage and track appears even in a tiny demo:
# (outcome, track, the stage the case must be in now).
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
_FORCE_ALL = frozenset({"investigation", "archive"})
_FORCE_NONE: frozenset[str] = frozenset()


def _cut(steps: list[_Step], now: int) -> list[_Step]:
    return [s for s in steps if s.at <= now]


def _shift_to_stage(steps: list[_Step], stage: str, now: int) -> list[_Step] | None:
    """The timeline moved in time so that the case is in ``stage`` now (cut at now)."""
    for i, s in enumerate(steps):
        if _STAGE_AFTER[s.action] != stage:
            continue
        gap = steps[i + 1].at - s.at if i + 1 < len(steps) else 7200
        delta = now - (s.at + min(gap // 2, 3600))
        days = delta // 86400
        shifted = []
        for x in steps:
            data = x.data
            if data is not None and "deadline_day" in data:
                data = {**data, "deadline_day": data["deadline_day"] + days}
            shifted.append(_Step(x.at + delta, x.action, data))
        return _cut(shifted, now)
    return None


class _Planner:
    """Plans the cases: the few forced ones first, then the others in registration order."""

    def __init__(self, seed: int, now: dt.datetime, officers: int, volunteers: int, cases: int,
                 consultations: int) -> None:
        self.rng = rng = random.Random(seed)
        self.clock = _Clock(rng, now)
        self.people = _People(rng, self.clock.local_date(self.clock.now))
        self.university = _pick(rng, _UNIVERSITIES)
        self.officers, self.volunteers = officers, volunteers
        self.forced = [self._forced(i) for i in range(min(cases, len(_FORCED)))]
        self.registrations = sorted(self.clock.registration() for _i in range(cases - len(self.forced)))
        self.standalone = sorted((self._consultation() for _i in range(consultations)), key=lambda c: c.at)

    def regular(self) -> Iterator[_Plan]:
        """The other cases, one at a time, in registration order."""
        for i, reg in enumerate(self.registrations):
            yield self._regular(len(self.forced) + i, reg)

    def _forced(self, index: int) -> _Plan:
        rng, clock = self.rng, self.clock
        reg = clock.registration()
        day = clock.local_day(reg)
        outcome, track, stage = _FORCED[index]
        d = _SCENARIOS(rng)(rng, self.people, self.university, day)
        if track == workflow.POLICE and not d.police_ok:
            d = _ebike(rng, self.people, self.university, day)
        full = _timeline(rng, clock, d, reg, track, outcome, _FORCE_ALL)
        return self._make(index, d, track, _shift_to_stage(full, stage, clock.now) or _cut(full, clock.now))

    def _regular(self, index: int, reg: int) -> _Plan:
        rng, clock = self.rng, self.clock
        d = _SCENARIOS(rng)(rng, self.people, self.university, clock.local_day(reg))
        outcome = _OUTCOMES(rng)
        track: str | None
        if outcome == "referred_early":
            track = workflow.REFER
        elif outcome in ("declined", "withdrawn_early"):
            track = None
        else:
            track = workflow.POLICE if d.police_ok and rng.random() < 0.45 else workflow.PEOPLE
        plan = self._make(index, d, track, _cut(_timeline(rng, clock, d, reg, track, outcome, _FORCE_NONE),
                                                clock.now))
        if rng.random() < 0.1:  # the applicant asked the desk first, the same day
            answer = _pick(rng, _CONSULT_TOPICS)[3]
            plan.consultation = _Consult(reg - _between(rng, 600, 14400), d.parties[0][1], d.title[:200],
                                         d.category, d.facts[:300], answer, _pick(rng, (15, 20, 30)))
        return plan

    def _make(self, index: int, d: _Dispute, track: str | None, steps: list[_Step]) -> _Plan:
        if track in (workflow.PEOPLE, workflow.POLICE) and not any(s.action == "track" for s in steps):
            track = None  # still waiting for the officer's decision
        officer_mediates = track == workflow.POLICE
        pool = self.officers if officer_mediates else self.volunteers
        accept_at = next((s.at for s in steps if s.action == "accept"), None)
        return _Plan(index, d, _SOURCES(self.rng), track, int(self.rng.random() * pool), officer_mediates,
                     steps, accept_at)

    def _consultation(self) -> _Consult:
        topic, category, question, answer = _pick(self.rng, _CONSULT_TOPICS)
        return _Consult(self.clock.registration(), self.people.student(self.university), topic, category,
                        question, answer, _pick(self.rng, (5, 10, 10, 15, 20, 30, 45)))


# ---------------------------------------------------------------- staff


def _staff(session: Session, desk_id: int, admin: Actor | None, rng: random.Random) -> DemoStaff:
    """The desk's active officers and volunteers; generated accounts are added if missing."""
    users = session.execute(
        select(User).where(User.desk_id == desk_id, User.active.is_(True)).order_by(User.id)
    ).scalars().all()
    officers = [accounts.actor_for(u) for u in users if u.role == OFFICER]
    volunteers = [accounts.actor_for(u) for u in users if u.role in (VOLUNTEER, ADVISER)]
    if officers and volunteers:
        return DemoStaff(tuple(officers), tuple(volunteers))
    creator = admin
    if creator is None:
        admin_user = session.scalar(select(User).where(User.role == ADMIN, User.active.is_(True))
                                    .order_by(User.id).limit(1))
        if admin_user is None:
            raise ValidationError(field="setup", message=_("请先初始化系统（创建调解点和管理员），再生成演示数据。"))
        creator = accounts.actor_for(admin_user)
    ppl = _People(rng, local_today())
    wanted = [] if officers else [(OFFICER, f"{ppl.surname()}警官") for _i in range(2)]
    wanted += [] if volunteers else [(VOLUNTEER, ppl.name(_pick(rng, _SEXES))[0]) for _i in range(6)]
    for n, (role, display) in enumerate(wanted, start=1):
        # A random password nobody knows: the administrator resets it if a demo login is wanted.
        uid = accounts.create_user(
            session, creator, username=f"demo-{role}-{desk_id}-{n}-{secrets.token_hex(3)}",
            display_name=display, role=role, password=secrets.token_urlsafe(18) + "a1", desk_id=desk_id)
        user = session.get(User, uid)
        assert user is not None
        (officers if role == OFFICER else volunteers).append(accounts.actor_for(user))
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
    parallel: bool | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> DemoSummary:
    """Add ``cases`` generated disputes (and some consultations) to a desk.

    Args:
        target: a Database (one write transaction is opened) or a session inside
            ``Database.write()`` (the caller commits).
        seed: same seed and same ``now``, same data; None: different every time.
        desk_id: the desk to fill (default: the first desk).
        users: who acts; by default the desk's officers and volunteers, with generated
            accounts created by ``admin`` (or the first administrator) if it has none.
        consultations: legal consultations logged besides those that became cases
            (default: a quarter of ``cases``); about a tenth of the cases start as one.
        bulk_threshold: from this many cases on, rows are bulk-inserted.
        parallel: bulk mode only: build the rows in a second process while this one
            inserts (None: for 20,000 cases or more when a second CPU is free).
        progress: called as ``progress(done, total)``; raising from it cancels
            (nothing is kept).
        now: the end of the two years (default: now).
    """
    if isinstance(target, Database):
        with target.write() as session:
            return generate(session, cases=cases, seed=seed, desk_id=desk_id, users=users,
                            admin=admin, consultations=consultations, bulk_threshold=bulk_threshold,
                            parallel=parallel, progress=progress, now=now)
    session = target
    require_write(session)
    if not 0 <= cases <= MAX_CASES:
        raise ValidationError(field="cases", message=_("案件数量应在 0 到 {n} 之间。").format(n=MAX_CASES))
    started = time.perf_counter()
    if desk_id is None:
        desk_id = session.scalar(select(Desk.id).order_by(Desk.id).limit(1))
    desk = session.get(Desk, desk_id) if desk_id is not None else None
    if desk is None:
        raise ValidationError(field="desk_id", message=_("请先初始化系统（创建调解点和管理员），再生成演示数据。"))
    if seed is None:
        seed = secrets.randbits(64)
    staff = users or _staff(session, desk.id, admin, random.Random(seed))
    if not staff.officers or not staff.volunteers:
        raise ValidationError(field="users", message=_("生成演示数据需要至少一名督导民警和一名值班学生。"))
    n_consult = cases // 4 if consultations is None else max(0, consultations)
    now = now or utcnow()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small objects and no cycles: collections would only cost time
    try:
        if cases >= bulk_threshold:
            if parallel is None:
                parallel = cases >= PARALLEL_THRESHOLD and _spare_cpu()
            result = _BulkWriter(session, desk, staff).write(seed, now, cases, n_consult, parallel, progress)
        else:
            result = _ServiceWriter(session, desk, staff).write(seed, now, cases, n_consult, progress)
    finally:
        if gc_was_enabled:
            gc.enable()
    return replace(result, seconds=round(time.perf_counter() - started, 3))


def _spare_cpu() -> bool:
    """Is a second CPU free for the helper process? (On a busy machine it only competes.)"""
    cpus = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on Windows
        load = 0.0
    return cpus >= 2 and load <= cpus - 1


# ---------------------------------------------------------------- texts shared by both writers


def _investigation_text(d: _Dispute) -> str:
    return f"向{d.parties[-1][1].name}了解情况并查看相关凭证（转账记录、聊天记录、照片），核实：{d.facts[:60]}……"


def _session_text(d: _Dispute, result: str) -> str:
    a, b = d.parties[0][1].name, d.parties[1][1].name
    said = f"申请人{a}陈述：{d.claims}被申请人{b}称对部分事实无异议，但对金额有不同意见。调解员释法明理，"
    return said + {"agreed": "双方最终自愿达成协议。", "failed": "双方分歧较大，未能达成一致。",
                   "continued": "双方同意回去考虑后再次调解。"}[result]


def _attendees(d: _Dispute, mediator: Actor) -> str:
    return "、".join([p.name for _r, p, _x in d.parties] + [mediator.display_name])


_FOLLOW_UP_TEXT = {
    "performed": "电话回访，申请人确认协议已履行完毕，双方无新的争议。",
    "partly": "回访得知被申请人已履行部分义务，余款承诺于月底前付清。",
    "breached": "回访得知被申请人未按期履行，已告知申请人可申请司法确认或向法院起诉。",
}


def _utc(ts: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(seconds=ts)


class _Cast:
    """Who does what on a case: the same choice in both writers."""

    def __init__(self, staff: DemoStaff) -> None:
        self.staff = staff

    def mediator(self, plan: _Plan) -> Actor:
        pool = self.staff.officers if plan.mediator_is_officer else self.staff.volunteers
        return pool[plan.mediator % len(pool)]

    def officer(self, plan: _Plan) -> Actor:
        return self.staff.officers[plan.index % len(self.staff.officers)]

    def volunteer(self, plan: _Plan) -> Actor:
        return self.staff.volunteers[plan.index % len(self.staff.volunteers)]

    def consultant(self, c: _Consult) -> Actor:
        return self.staff.volunteers[c.minutes % len(self.staff.volunteers)]


# ---------------------------------------------------------------- small demos: through the services


class _ServiceWriter:
    """Every step through the real services, in time order (audit trail included)."""

    def __init__(self, session: Session, desk: Desk, staff: DemoStaff) -> None:
        self.session = session
        self.desk = desk
        self.cast = _Cast(staff)

    def write(self, seed: int, now: dt.datetime, cases: int, consultations: int,
              progress: Progress | None) -> DemoSummary:
        from mediation.models import AuditLog

        planner = _Planner(seed, now, len(self.cast.staff.officers), len(self.cast.staff.volunteers), cases,
                           consultations)
        plans = planner.forced + list(planner.regular())
        consults = planner.standalone + [p.consultation for p in plans if p.consultation is not None]
        count = select(func.count()).select_from(AuditLog)
        audit_before = int(self.session.scalar(count) or 0)
        todo: list[tuple[int, int, int, _Plan | _Consult, _Step | None]] = []
        for c_i, c in enumerate(consults):
            todo.append((c.at, 0, c_i, c, None))
        for plan in plans:
            for s_i, step in enumerate(plan.steps):
                todo.append((step.at, 1, plan.index * 100 + s_i, plan, step))
        todo.sort(key=lambda e: (e[0], e[1], e[2]))
        for done, (at, _kind, _order, item, step) in enumerate(todo, start=1):
            # Each step happens at its moment of the story: the services' stamps (events,
            # created_at, deadlines, "today") say then, not the time of generation.
            with clock_at(_utc(at)):
                if isinstance(item, _Consult):
                    self._consult(item)
                else:
                    assert step is not None
                    self._step(item, step)
            if progress is not None and (done % 50 == 0 or done == len(todo)):
                progress(done, len(todo))
        self.session.flush()
        ids = sorted(p.case_id for p in plans if p.case_id is not None)
        rows = self.session.execute(select(Case.stage, Case.track).where(Case.id.in_(ids))).all() if ids else []
        return DemoSummary(
            cases=len(plans), consultations=len(consults),
            parties=len({p.party_id for plan in plans for _r, p, _x in plan.dispute.parties if p.party_id}),
            by_stage=dict(Counter(stage for stage, _t in rows)),
            by_track=dict(Counter(track or "" for _s, track in rows)),
            mode="services", seconds=0.0, audit_rows=int(self.session.scalar(count) or 0) - audit_before,
            first_case_id=ids[0] if ids else None, last_case_id=ids[-1] if ids else None)

    def _consult(self, c: _Consult) -> None:
        from mediation.services import consultations as cons

        c.consultation_id = cons.log_consultation(self.session, self.cast.consultant(c), cons.ConsultationInput(
            topic=c.topic, answer=c.answer, person_name=c.person.name, phone=c.person.phone,
            question=c.question, category=c.category, minutes=c.minutes, asked_at=_utc(c.at)))

    def _step(self, plan: _Plan, step: _Step) -> None:
        from mediation.services import cases as cs
        from mediation.services import parties
        from mediation.services import case_records
        from mediation.services import consultations as cons

        s = self.session
        d = plan.dispute
        cast = self.cast
        officer, volunteer, mediator = cast.officer(plan), cast.volunteer(plan), cast.mediator(plan)
        at = _utc(step.at)
        data = step.data or {}
        a = step.action
        if a == "register":
            form = cs.CaseInput(
                parties=[parties.PartyInput(
                    role=role, name=p.name, kind=p.kind, sex=p.sex, ethnicity=p.ethnicity,
                    birth_date=p.birth if p.id_type != "resident_id" else None, id_type=p.id_type,
                    id_number=p.id_number, phone=p.phone, address=p.address, occupation=p.occupation,
                    legal_representative=p.legal_representative, represents=represents,
                    existing_party_id=p.party_id) for role, p, represents in d.parties],
                facts=d.facts, claims=d.claims, category=d.category, subcategory=d.subcategory,
                source=plan.source, title=d.title, amount=d.amount, desk_id=self.desk.id,
                registered_at=at)
            if plan.consultation is not None and plan.consultation.consultation_id is not None:
                ref = cons.convert_to_case(s, volunteer, plan.consultation.consultation_id, form)
            else:
                ref = cs.register_case(s, volunteer, form)
            plan.case_id = ref.id
            for pos, party_id in s.execute(select(CaseParty.position, CaseParty.party_id)
                                           .where(CaseParty.case_id == ref.id)):
                d.parties[pos][1].party_id = party_id
            return
        case_id = plan.case_id
        assert case_id is not None
        if a == "track":
            assert plan.track is not None
            cs.choose_track(s, officer, case_id, plan.track)
        elif a == "assign":
            cs.assign_mediator(s, officer, case_id, mediator.user_id)
        elif a == "accept":
            cs.accept_case(s, officer, case_id)
        elif a == "investigation":
            case_records.add_investigation(s, volunteer, case_id, case_records.InvestigationInput(
                held_at=at, content=_investigation_text(d), place=_PLACES[0], subject=d.parties[-1][1].name))
        elif a == "session":
            case_records.add_session_record(s, mediator, case_id, case_records.SessionInput(
                held_at=at, content=_session_text(d, data["result"]),
                place=_PLACES[plan.index % len(_PLACES)], attendees=_attendees(d, mediator),
                result=data["result"], recorder_id=volunteer.user_id))
        elif a == "agreement":
            oral = bool(data["oral"])
            cs.record_agreement(s, mediator, case_id, cs.AgreementInput(
                kind="oral" if oral else "written", terms=d.terms, amount=d.amount,
                performance_manner=d.manner, performance_place=_PLACES[0],
                performance_deadline=dt.date.fromordinal(_EPOCH_ORDINAL + data["deadline_day"]),
                signed=oral, reached_at=at))
        elif a == "sign":
            cs.mark_agreement_signed(s, volunteer, case_id, signed_at=at)
        elif a == "follow_up":
            case_records.add_follow_up(s, volunteer, case_id, case_records.FollowUpInput(
                visited_at=at, result=_FOLLOW_UP_TEXT[data["status"]], performance_status=data["status"],
                method=_METHODS[plan.index % 3], reason=_("回访协议履行情况")))
        elif a == "close":
            cs.close_case(s, officer, case_id,
                          prevented_escalation=plan.track == workflow.POLICE and plan.index % 2 == 0)
        elif a == "archive":
            cs.archive_case(s, officer, case_id)
        elif a == "decline":
            cs.decline_case(s, officer, case_id, reason=data["reason"])
        elif a == "refer":
            cs.refer_case(s, officer, case_id, referred_to=data["to"], reason=data["reason"])
        elif a == "withdraw":
            cs.withdraw_case(s, officer, case_id, reason=data["reason"])
        elif a == "terminate":
            cs.terminate_case(s, officer, case_id, reason=data["reason"], routes=data["routes"])
        else:  # pragma: no cover - every planned action is handled above
            raise ValueError(a)


# ---------------------------------------------------------------- large demos: bulk rows


class _Store:
    """Values in the form the driver stores them: SQLite text, or Python objects for psycopg.

    SQLite's strings are exactly what SQLAlchemy's types write (``YYYY-MM-DD
    HH:MM:SS.ffffff`` naive UTC, ``YYYY-MM-DD``, JSON text), so rows read back the
    same whichever way they were written.
    """

    _times: list[str] = []

    def __init__(self, dialect: str) -> None:
        self.sqlite = dialect == "sqlite"
        self._days: dict[int, str] = {}
        if self.sqlite and not _Store._times:
            _Store._times = [f" {h:02d}:{m:02d}:{sec:02d}.000000"
                             for h in range(24) for m in range(60) for sec in range(60)]
        self.null = self.json(None)

    def ts(self, ts: int | None) -> Any:
        if ts is None:
            return None
        if not self.sqlite:
            return _utc(ts)
        day, secs = divmod(ts, 86400)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = self._days[day] = dt.date.fromordinal(_EPOCH_ORDINAL + day).isoformat()
        return prefix + self._times[secs]

    def date(self, value: dt.date | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.isoformat()

    def money(self, value: Decimal | None) -> Any:
        return str(value) if value is not None and self.sqlite else value

    def flag(self, value: bool) -> Any:
        return int(value) if self.sqlite else value

    def json(self, value: Any) -> Any:
        # As the JSON type stores it: Python None becomes JSON null, not SQL NULL.
        return json.dumps(value) if self.sqlite else value


# Columns of each bulk-inserted table, in the order of the row tuples; tables in
# insert order (parents before children).
_COLUMNS: dict[str, tuple[str, ...]] = {
    "consultation": ("id", "desk_id", "asked_at", "person_name", "phone", "topic", "category", "question",
                     "answer", "minutes", "answered_by_id", "converted_case_id", "created_at"),
    "party": ("id", "kind", "name", "sex", "ethnicity", "birth_date", "id_type", "id_number", "phone",
              "address", "occupation", "legal_representative", "note", "created_by_id", "created_at",
              "updated_at"),
    "mediation_case": (
        "id", "desk_id", "number", "year", "seq", "stage", "track", "track_decided_by_id", "category",
        "subcategory", "source", "title", "party_names", "party_phones", "facts", "claims", "amount",
        "people_involved", "registered_at", "registered_by_id", "accepted_at", "accepted_by_id",
        "mediator_id", "deadline", "deadline_label", "result", "outcome_reason", "referred_to",
        "routes_suggested", "prevented_escalation", "agreement_kind", "agreement_number",
        "agreement_terms", "agreement_amount", "performance_manner", "performance_place",
        "performance_deadline", "agreement_reached_at", "agreement_signed_at", "performance_status",
        "closed_at", "closed_by_id", "archived_at", "retention_years", "consultation_id", "created_at",
        "updated_at", "version_id"),
    "case_party": ("id", "case_id", "party_id", "role", "represents_id", "position"),
    "case_event": ("id", "case_id", "at", "user_id", "kind", "stage_from", "stage_to", "summary", "data"),
    "session_record": ("id", "case_id", "held_at", "place", "attendees", "content", "result", "mediator_id",
                       "recorder_id", "created_at"),
    "investigation_record": ("id", "case_id", "held_at", "place", "subject", "content", "investigator_id",
                             "created_at"),
    "follow_up": ("id", "case_id", "visited_at", "method", "reason", "result", "performance_status",
                  "user_id", "created_at"),
}
_MODELS: dict[str, Any] = {
    "consultation": Consultation, "party": Party, "mediation_case": Case, "case_party": CaseParty,
    "case_event": CaseEvent, "session_record": SessionRecord, "investigation_record": InvestigationRecord,
    "follow_up": FollowUp,
}
_STAGE_COL = _COLUMNS["mediation_case"].index("stage")
_TRACK_COL = _COLUMNS["mediation_case"].index("track")


@dataclass(frozen=True)
class _BulkSetup:
    """Everything the row maker needs from the database (sent to the helper process)."""

    seed: int
    now: dt.datetime
    cases: int
    consultations: int
    desk_id: int
    prefix: str
    staff: DemoStaff
    ids: dict[str, int]
    """Highest id in use per table: new rows count on from there."""
    sequences: dict[int, int]
    """Last case number given per year (years the demo can touch), locked until commit."""
    calendar: WorkCalendar
    rules: tuple[workflow.DeadlineRule, ...]
    dialect: str
    language: str


@dataclass
class _Batch:
    """The rows of about CHUNK cases, ready to insert, and what the writer reports on them."""

    rows: dict[str, list[tuple[Any, ...]]]
    first_case_id: int | None = None
    last_case_id: int | None = None
    cases: int = 0
    new_parties: int = 0
    sequences: dict[int, int] = field(default_factory=dict)


class _RowMaker:
    """Turns plans into rows exactly as the services would have left them."""

    def __init__(self, setup: _BulkSetup, clock: _Clock) -> None:
        self.setup = setup
        self.clock = clock
        self.cast = _Cast(setup.staff)
        self.store = _Store(setup.dialect)
        self.ids = dict(setup.ids)
        self.last_seq = dict(setup.sequences)
        self.numbers: dict[int, tuple[int, int, str]] = {}
        self.labels = {r.label: _(r.label) for r in setup.rules}
        self._json_cache: dict[tuple[str, Any], Any] = {}

    def next_id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name]

    def new_batch(self) -> _Batch:
        return _Batch({name: [] for name in _COLUMNS})

    def number(self, plan: _Plan) -> None:
        """Give the case its number: called in acceptance order."""
        assert plan.accept_at is not None and plan.case_id is not None
        year = self.clock.local_date(plan.accept_at).year
        seq = self.last_seq[year] = self.last_seq[year] + 1
        self.numbers[plan.case_id] = (year, seq, format_case_number(year, self.setup.prefix, seq))

    def ready(self, plan: _Plan) -> bool:
        return plan.accept_at is None or plan.case_id in self.numbers

    def _json(self, key: tuple[str, Any], value: dict[str, Any]) -> Any:
        """Event data in storage form, encoded once per distinct value."""
        encoded = self._json_cache.get(key)
        if encoded is None:
            encoded = self._json_cache[key] = self.store.json(value)
        return encoded

    def consultation(self, c: _Consult, batch: _Batch, case_id: int | None = None) -> None:
        c.consultation_id = self.next_id("consultation")
        at = self.store.ts(c.at)
        batch.rows["consultation"].append((
            c.consultation_id, self.setup.desk_id, at, c.person.name, c.person.phone, c.topic, c.category,
            c.question, c.answer, c.minutes, self.cast.consultant(c).user_id, case_id, at))

    def case(self, plan: _Plan, batch: _Batch) -> None:
        """Append every row of one case (its consultation, parties, timeline...) to ``batch``."""
        store, rows, cast = self.store, batch.rows, self.cast
        ts = store.ts
        d = plan.dispute
        case_id = plan.case_id
        assert case_id is not None
        batch.first_case_id = batch.first_case_id or case_id
        batch.last_case_id = case_id
        batch.cases += 1
        reg = plan.steps[0].at
        t_reg = ts(reg)
        volunteer, officer, mediator = cast.volunteer(plan), cast.officer(plan), cast.mediator(plan)
        if plan.consultation is not None:
            self.consultation(plan.consultation, batch, case_id)
        link_ids: list[int] = []
        for pos, (role, p, represents) in enumerate(d.parties):
            if p.party_id is None:
                p.party_id = self.next_id("party")
                batch.new_parties += 1
                rows["party"].append((
                    p.party_id, p.kind, p.name, p.sex, p.ethnicity, store.date(p.birth), p.id_type,
                    p.id_number, p.phone, p.address, p.occupation, p.legal_representative, "",
                    volunteer.user_id, t_reg, t_reg))
            link_id = self.next_id("case_party")
            link_ids.append(link_id)
            rows["case_party"].append((link_id, case_id, p.party_id, role,
                                       link_ids[represents] if represents is not None else None, pos))

        # The case as the services would leave it, built up step by step.
        stage = workflow.REGISTERED
        track: str | None = None
        number: str | None = None
        year = seq = None
        accepted_at = mediator_id = track_by = accepted_by = closed_at = closed_by = archived_at = None
        result: str | None = None
        reason = referred_to = routes = ""
        agreement_kind: str | None = None
        terms = manner = place = ""
        agreement_amount: Decimal | None = None
        perf_deadline: dt.date | None = None
        reached_at = signed_at = None
        perf_status: str | None = None
        retention: int | None = None
        prevented = False
        first_session: int | None = None
        sessions = 0
        version = 0
        events = rows["case_event"]
        null = store.null

        def event(at: Any, kind: str, summary: str, user: Actor, to: str | None = None,
                  data: Any = null) -> None:
            nonlocal stage
            before = stage if to else None
            if to:
                stage = to
            events.append((self.next_id("case_event"), case_id, at, user.user_id, kind, before, to,
                           summary, data))

        for step in plan.steps:
            a, data = step.action, step.data or {}
            at = step.at
            t_at = ts(at)
            version += 1
            if a == "register":
                events.append((self.next_id("case_event"), case_id, t_at, volunteer.user_id, "registered",
                               None, workflow.REGISTERED, _("登记纠纷"), null))
            elif a == "track":
                track, track_by = plan.track, officer.user_id
                event(t_at, "track", _("确定调解类型：{t}").format(t=workflow.track_label(track)), officer,
                      data=self._json(("track", track), {"track": track, "exclusions_acknowledged": []}))
            elif a == "assign":
                mediator_id = mediator.user_id
                event(t_at, "assigned", _("指派调解员：{n}").format(n=mediator.display_name), officer,
                      data=self._json(("assigned", mediator_id), {"mediator_id": mediator_id}))
            elif a == "accept":
                year, seq, number = self.numbers[case_id]
                accepted_at, accepted_by = at, officer.user_id
                event(t_at, "accept", _("受理"), officer, workflow.ACCEPTED)
            elif a == "investigation":
                subject = d.parties[-1][1].name
                rows["investigation_record"].append((
                    self.next_id("investigation_record"), case_id, t_at, _PLACES[0], subject,
                    _investigation_text(d), volunteer.user_id, t_at))
                if stage == workflow.ACCEPTED:
                    event(t_at, "investigate", _("开始调查"), volunteer, workflow.INVESTIGATING)
                event(t_at, "investigation", _("调查记录：{s}").format(s=subject), volunteer)
            elif a == "session":
                res = data["result"]
                rows["session_record"].append((
                    self.next_id("session_record"), case_id, t_at, _PLACES[plan.index % len(_PLACES)],
                    _attendees(d, mediator), _session_text(d, res), res, mediator.user_id,
                    volunteer.user_id, t_at))
                sessions += 1
                first_session = first_session or at
                if stage != workflow.MEDIATING:
                    event(t_at, "mediate", _("开始调解"), mediator, workflow.MEDIATING)
                event(t_at, "session", _("调解记录（{r}）").format(r=_(workflow.SESSION_RESULTS[res])), mediator)
            elif a == "agreement":
                oral = bool(data["oral"])
                agreement_kind = workflow.ORAL if oral else workflow.WRITTEN
                terms, agreement_amount, manner, place = d.terms, d.amount, d.manner, _PLACES[0]
                perf_deadline = dt.date.fromordinal(_EPOCH_ORDINAL + data["deadline_day"])
                reached_at, perf_status = at, "pending"
                signed_at = at if oral else None
                event(t_at, "agree", _("口头协议登记") if oral else _("达成书面调解协议"), mediator,
                      workflow.AGREED)
            elif a == "sign":
                signed_at = at
                event(t_at, "signed", _("协议已签署"), volunteer)
            elif a == "follow_up":
                status = data["status"]
                rows["follow_up"].append((
                    self.next_id("follow_up"), case_id, t_at, _METHODS[plan.index % 3], _("回访协议履行情况"),
                    _FOLLOW_UP_TEXT[status], status, volunteer.user_id, t_at))
                perf_status = status
                if stage == workflow.AGREED:
                    event(t_at, "perform", _("进入履行/回访"), volunteer, workflow.PERFORMING)
                event(t_at, "follow_up", _("回访：{s}").format(s=_(workflow.PERFORMANCE[status])), volunteer)
            elif a == "close":
                action = {workflow.AGREED: "close_agreed", workflow.PERFORMING: "close",
                          workflow.TERMINATED: "close_terminated"}[stage]
                result = workflow.transition(action).result or result
                closed_at, closed_by = at, officer.user_id
                prevented = plan.track == workflow.POLICE and plan.index % 2 == 0
                event(t_at, action, _("结案"), officer, workflow.CLOSED)
            elif a == "archive":
                archived_at, retention = at, 10
                event(t_at, "archive", _("归档"), officer, workflow.ARCHIVED)
            else:  # decline | refer | withdraw | terminate
                reason = data["reason"]
                t = workflow.transition(a)
                result = t.result
                if a == "decline":
                    summary = _("不予受理：{r}").format(r=reason)
                elif a == "refer":
                    track = track or workflow.REFER
                    referred_to = data["to"]
                    summary = _("引导/移送至{to}：{r}").format(to=referred_to, r=reason)
                elif a == "withdraw":
                    summary = _("申请人撤回：{r}").format(r=reason)
                else:
                    routes = data["routes"]
                    summary = _("终止调解：{r}").format(r=reason)
                if t.target == workflow.CLOSED:
                    closed_at, closed_by = at, officer.user_id
                event(t_at, a, summary, officer, t.target)

        deadline, label = self._deadline(stage, track, accepted_at, signed_at or reached_at,
                                         first_session if sessions == 1 else None, perf_deadline)
        consultation_id = plan.consultation.consultation_id if plan.consultation is not None else None
        rows["mediation_case"].append((
            case_id, self.setup.desk_id, number, year, seq, stage, track, track_by, d.category,
            d.subcategory, plan.source, d.title,
            party_summary([(role, p.name) for role, p, _x in d.parties])[:500],
            " ".join(p.phone for _r, p, _x in d.parties if p.phone)[:500], d.facts, d.claims,
            store.money(d.amount), len(d.parties), t_reg, volunteer.user_id, ts(accepted_at), accepted_by,
            mediator_id, store.date(deadline), label, result, reason, referred_to, routes,
            store.flag(prevented), agreement_kind, number if agreement_kind else None, terms,
            store.money(agreement_amount), manner, place, store.date(perf_deadline), ts(reached_at),
            ts(signed_at), perf_status, ts(closed_at), closed_by, ts(archived_at), retention,
            consultation_id, t_reg, ts(plan.steps[-1].at), version))

    def _deadline(self, stage: str, track: str | None, accepted_at: int | None, agreed_at: int | None,
                  first_session: int | None, perf_deadline: dt.date | None) -> tuple[dt.date | None, str]:
        """What :func:`deadlines.refresh_case_deadline` would leave on the case."""
        if stage in (workflow.CLOSED, workflow.ARCHIVED, workflow.TERMINATED):
            return None, ""
        deadline: dt.date | None = None
        label = ""
        if track is not None:
            anchors = {"accepted_at": accepted_at, "agreement_reached_at": agreed_at,
                       "first_session_at": first_session}
            for rule in self.setup.rules:
                if rule.track != track or rule.stage != stage:
                    continue
                anchor = anchors.get(rule.anchor)
                if anchor is None:
                    continue
                start = self.clock.local_date(anchor)
                cal = self.setup.calendar
                deadline = (cal.add_workdays(start, rule.amount) if rule.unit == "working_days"
                            else cal.end_of_period(start, rule.amount))
                label = self.labels[rule.label]
                break
        if stage in (workflow.PERFORMING, workflow.AGREED) and perf_deadline is not None:
            if deadline is None or perf_deadline < deadline:
                return perf_deadline, _("履行期限")
        return deadline, label


def _batches(setup: _BulkSetup) -> Iterator[_Batch]:
    """All rows of the demo, in batches of about CHUNK cases, in insert order.

    Case ids follow registration order (the forced recent cases come last); numbers
    follow acceptance order within each year. A case is written once every case
    accepted before it has its number: since a case is accepted after it was
    registered, that is known as soon as the cases registered before its acceptance
    are planned, so the plans stream through without being held all at once.
    """
    set_language(setup.language)
    staff = setup.staff
    planner = _Planner(setup.seed, setup.now, len(staff.officers), len(staff.volunteers), setup.cases,
                       setup.consultations)
    maker = _RowMaker(setup, planner.clock)
    base = setup.ids["mediation_case"]
    n_regular = len(planner.registrations)
    accepted: list[tuple[int, int, _Plan]] = []  # heap of (accepted at, case id, plan)
    for k, plan in enumerate(planner.forced):
        plan.case_id = base + n_regular + k + 1
        if plan.accept_at is not None:
            heapq.heappush(accepted, (plan.accept_at, plan.case_id, plan))
    standalone = planner.standalone
    total = max(1, setup.cases)
    written = sent = 0
    batch = maker.new_batch()

    def flush(final: bool) -> _Batch:
        nonlocal batch, sent
        # Consultations that did not become cases, spread evenly over the batches.
        due = len(standalone) if final else len(standalone) * written // total
        while sent < due:
            maker.consultation(standalone[sent], batch)
            sent += 1
        done, batch = batch, maker.new_batch()
        done.sequences = dict(maker.last_seq)
        return done

    pending: deque[_Plan] = deque()
    for i, plan in enumerate(planner.regular()):
        plan.case_id = base + i + 1
        if plan.accept_at is not None:
            heapq.heappush(accepted, (plan.accept_at, plan.case_id, plan))
        registered = plan.steps[0].at
        while accepted and accepted[0][0] < registered:
            maker.number(heapq.heappop(accepted)[2])
        pending.append(plan)
        while pending and maker.ready(pending[0]):
            maker.case(pending.popleft(), batch)
            written += 1
            if batch.cases >= CHUNK:
                yield flush(False)
    while accepted:
        maker.number(heapq.heappop(accepted)[2])
    for plan in list(pending) + planner.forced:
        maker.case(plan, batch)
        written += 1
        if batch.cases >= CHUNK:
            yield flush(False)
    yield flush(True)


def helper_main() -> None:
    """Entry of the helper process: read a setup on stdin, write pickled batches to stdout."""
    gc.disable()
    out = sys.stdout.buffer
    try:
        setup = pickle.load(sys.stdin.buffer)
        for batch in _batches(setup):
            pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
        pickle.dump(None, out)
    except BaseException:  # the writer raises it as a RuntimeError
        pickle.dump(traceback.format_exc(), out)
    out.flush()


class _HelperGone(Exception):
    """The helper process ended without a word (could not start, or was killed)."""


def _batches_from_helper(setup: _BulkSetup) -> Iterator[_Batch]:
    """:func:`_batches` made in a second Python process, so rows are built while rows are
    inserted. A plain subprocess, not multiprocessing: nothing of the caller's main
    module is re-run in it, and no fork of a threaded (Qt) process."""
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    process = subprocess.Popen(
        [sys.executable, "-c", "from mediation.services.demo import helper_main; helper_main()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    assert process.stdin is not None and process.stdout is not None
    try:
        try:
            pickle.dump(setup, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            process.stdin.close()
        except OSError:
            raise _HelperGone() from None
        while True:
            try:
                item = pickle.load(process.stdout)
            except (EOFError, pickle.UnpicklingError):
                raise _HelperGone() from None
            if item is None:
                return
            if isinstance(item, str):
                raise RuntimeError("demo data helper process failed:\n" + item)
            yield item
    finally:
        process.stdout.close()
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=30)


def _batch_source(setup: _BulkSetup, parallel: bool) -> Iterator[_Batch]:
    """The batches, from the helper process if asked for and it works, else made here."""
    if parallel:
        received = False
        try:
            for batch in _batches_from_helper(setup):
                received = True
                yield batch
            return
        except (_HelperGone, OSError):
            if received:
                raise RuntimeError("demo data helper process ended unexpectedly") from None
            log.warning("demo data helper process unavailable; making the rows in this process")
    yield from _batches(setup)


_FTS_TRIGGERS = ("case_fts_ai", "case_fts_ad", "case_fts_au")
_FTS_BULK_HASHSIZE = 64 * 1024 * 1024
_FTS_DEFAULT_HASHSIZE = 1024 * 1024
"""FTS5 pending-data size while bulk indexing (default 1 MB): fewer, larger segments."""
_BULK_CACHE_KIB = 256 * 1024
"""SQLite page cache while bulk loading (default 2 MB): random index inserts stay in memory."""


class _BulkWriter:
    """The rows the services would write, bulk-inserted in chunks, in one transaction."""

    def __init__(self, session: Session, desk: Desk, staff: DemoStaff) -> None:
        self.session = session
        self.desk = desk
        self.staff = staff

    def write(self, seed: int, now: dt.datetime, cases: int, consultations: int, parallel: bool,
              progress: Progress | None) -> DemoSummary:
        s = self.session
        conn = s.connection()
        dialect = conn.dialect.name
        if dialect == "postgresql":
            # Ids are given explicitly: keep other writers out of these tables until
            # commit, then move the id sequences past them.
            s.execute(text("LOCK TABLE " + ", ".join(_COLUMNS) + " IN EXCLUSIVE MODE"))
        ids = {name: int(s.scalar(select(func.coalesce(func.max(_MODELS[name].id), 0))) or 0)
               for name in _COLUMNS}
        setup = _BulkSetup(
            seed=seed, now=now, cases=cases, consultations=consultations, desk_id=self.desk.id,
            prefix=self.desk.number_prefix, staff=self.staff, ids=ids,
            sequences=self._take_sequences(now), calendar=deadlines.calendar(s),
            rules=deadlines.deadline_rules(s, self.desk.id), dialect=dialect, language=current_language())
        stages: Counter[str] = Counter()
        tracks: Counter[str] = Counter()
        parties = audit_rows = written = consultation_rows = 0
        sequences: dict[int, int] = {}
        with self._sqlite_bulk(conn) as index_later:
            for batch in _batch_source(setup, parallel):
                for name, rows in batch.rows.items():
                    self._insert(conn, name, rows)
                consultation_rows += len(batch.rows["consultation"])
                for row in batch.rows["mediation_case"]:
                    stages[row[_STAGE_COL]] += 1
                    tracks[row[_TRACK_COL] or ""] += 1
                parties += batch.new_parties
                sequences = batch.sequences
                if batch.cases:
                    audit.append(s, user_id=self.staff.officers[0].user_id, action="demo.generate",
                                 entity="case", after={"cases": batch.cases, "desk_id": self.desk.id,
                                                       "first_case_id": batch.first_case_id,
                                                       "last_case_id": batch.last_case_id})
                    audit_rows += 1
                written += batch.cases
                if progress is not None:
                    progress(written, cases)
            if cases and index_later:
                conn.exec_driver_sql(
                    "INSERT INTO case_fts(rowid, number, title, facts, claims, party_names, party_phones)"
                    " SELECT id, number, title, facts, claims, party_names, party_phones FROM mediation_case"
                    " WHERE id BETWEEN ? AND ?", (ids["mediation_case"] + 1, ids["mediation_case"] + cases))
        for year, last in sequences.items():
            s.execute(update(NumberSequence).where(
                NumberSequence.desk_id == self.desk.id, NumberSequence.year == year,
                NumberSequence.kind == "case").values(last_value=last))
        if dialect == "postgresql":
            for name in _COLUMNS:
                s.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
                               f" (SELECT coalesce(max(id), 1) FROM {name}))"))
        elif cases:
            s.execute(text("ANALYZE mediation_case"))  # the list's query plans use these statistics
        first = ids["mediation_case"] + 1 if cases else None
        return DemoSummary(
            cases=cases, consultations=consultation_rows, parties=parties, by_stage=dict(stages),
            by_track=dict(tracks), mode="bulk", seconds=0.0, audit_rows=audit_rows, first_case_id=first,
            last_case_id=first + cases - 1 if first else None)

    def _take_sequences(self, now: dt.datetime) -> dict[int, int]:
        """Last numbers of the years the demo may number in; rows created if needed, locked."""
        s = self.session
        tz = desk_tz()
        first_year = (now - dt.timedelta(days=SPAN_DAYS + 1)).astimezone(tz).year
        years = range(first_year, now.astimezone(tz).year + 1)
        out: dict[int, int] = {}
        for year in years:
            numbering.ensure_sequence(s, desk_id=self.desk.id, year=year, kind="case")
            out[year] = int(s.execute(select(NumberSequence.last_value).where(
                NumberSequence.desk_id == self.desk.id, NumberSequence.year == year,
                NumberSequence.kind == "case").with_for_update()).scalar_one())
        return out

    @contextmanager
    def _sqlite_bulk(self, conn: Connection) -> Iterator[bool]:
        """SQLite: a big page cache, and the search index filled once for all new rows.

        Yields whether the caller must index the new cases itself. The FTS triggers are
        dropped for this transaction and re-created from their own stored SQL afterwards
        (nothing duplicated from the migration); were anything to fail, the rollback
        brings them back as they were.
        """
        if conn.dialect.name != "sqlite":
            yield False
            return
        cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        conn.exec_driver_sql(f"PRAGMA cache_size=-{_BULK_CACHE_KIB}")
        triggers = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?, ?)",
            _FTS_TRIGGERS).all()
        fts = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'case_fts'").first() is not None
        hashsize = None
        try:
            if fts:
                hashsize = conn.exec_driver_sql(
                    "SELECT v FROM case_fts_config WHERE k = 'hashsize'").scalar()
                conn.exec_driver_sql(
                    f"INSERT INTO case_fts(case_fts, rank) VALUES ('hashsize', {_FTS_BULK_HASHSIZE})")
            for name, _sql in triggers:
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
            yield fts and len(triggers) == len(_FTS_TRIGGERS)
            for _name, sql in triggers:
                conn.exec_driver_sql(sql)
            if fts:
                restored = int(hashsize or _FTS_DEFAULT_HASHSIZE)
                conn.exec_driver_sql(f"INSERT INTO case_fts(case_fts, rank) VALUES ('hashsize', {restored})")
        finally:
            conn.exec_driver_sql(f"PRAGMA cache_size={int(cache)}")
            forget_modes()

    @staticmethod
    def _insert(conn: Connection, name: str, rows: list[tuple[Any, ...]]) -> None:
        """Core INSERT, executemany.

        SQLite: the statement compiled once and the value tuples handed to the driver
        as they are (they are already in storage form: no per-value processing).
        PostgreSQL: through the typed table.
        """
        if not rows:
            return
        cols = _COLUMNS[name]
        if conn.dialect.name == "sqlite":
            stmt = insert(table(name, *(column(c) for c in cols)))
            conn.exec_driver_sql(str(stmt.compile(dialect=conn.dialect)), rows)
        else:
            conn.execute(insert(_MODELS[name].__table__), [dict(zip(cols, r)) for r in rows])
