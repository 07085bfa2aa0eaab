"""Generated people (never real ones): names, ID numbers, phones, addresses, and a little randomness."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from mediation.validation import resident_id_check_char

T = TypeVar("T")


def pick(rng: random.Random, seq: Sequence[T]) -> T:
    return seq[int(rng.random() * len(seq))]


def between(rng: random.Random, lo: int, hi: int) -> int:
    """An integer in [lo, hi] (``rng.random()`` based: several times faster than randrange)."""
    return lo + int(rng.random() * (hi - lo + 1))


class Weighted:
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


UNIVERSITIES = ("滨江大学", "东湖理工大学", "南山师范学院", "临川财经大学", "北辰医科大学", "西岭政法大学")


_MAJORS = ("法学", "计算机科学与技术", "汉语言文学", "会计学", "临床医学", "土木工程", "英语", "电子信息工程",
           "市场营销", "新闻学")


_ESTATES = ("翠湖苑", "金桂园", "书香小区", "学苑新村", "青年公寓", "南门家园", "枫林小区", "湖畔花园")


_SHOP_WORDS = ("星辰", "极光", "优品", "乐享", "佳禾", "蓝海", "顺心", "鼎新", "小满", "拾光", "青柠", "知行")


_CITIES = ("临川", "滨江", "东湖", "南山")


_AREA_CODES = ("0571", "0755", "027", "028", "025")


SEXES = ("男", "女")


@dataclass(slots=True)
class Person:
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


class People:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today_ordinal = today.toordinal()
        self.landlords: list[Person] = []
        self.shops: dict[str, list[Person]] = {}

    def surname(self) -> str:
        if self.rng.random() < 0.04:
            return pick(self.rng, _COMPOUND_SURNAMES)
        return pick(self.rng, _SURNAMES)

    def name(self, sex: str) -> tuple[str, str]:
        """A generated name and the ethnicity that goes with it."""
        rng = self.rng
        r = rng.random()
        if r < 0.012:
            return f"{pick(rng, _DOT_FIRST)}·{pick(rng, _DOT_LAST)}", pick(rng, ("维吾尔", "哈萨克", "蒙古"))
        pool = _GIVEN_MALE if sex == "男" else _GIVEN_FEMALE
        if r < 0.02:
            rare = pick(rng, _RARE)
            return (rare + pick(rng, pool) if rare == "𠮷" else self.surname() + rare), "汉"
        given = pick(rng, pool)
        if rng.random() < 0.72:  # most given names have two characters
            given += pick(rng, pool + _GIVEN_ANY)
        return self.surname() + given, pick(rng, _ETHNIC)

    def resident_id(self, birth: dt.date, sex: str) -> str:
        """A resident ID number: region, date of birth, order (odd: male), check character."""
        order = between(self.rng, 0, 4) * 2 + (1 if sex == "男" else 0)
        body = (f"{pick(self.rng, _REGIONS)}{birth.year:04d}{birth.month:02d}{birth.day:02d}"
                f"{between(self.rng, 10, 99)}{order}")
        return body + resident_id_check_char(body)

    def mobile(self) -> str:
        return pick(self.rng, _MOBILE_PREFIXES) + f"{int(self.rng.random() * 10 ** 8):08d}"

    def birth(self, min_age: int, max_age: int) -> dt.date:
        return dt.date.fromordinal(self.today_ordinal - between(self.rng, min_age * 366, max_age * 365))

    def _person(self, min_age: int, max_age: int, occupation: str, address: str) -> Person:
        rng = self.rng
        sex = pick(rng, SEXES)
        r = rng.random()
        if r < 0.03:  # a foreign student: passport
            return Person("person", pick(rng, _FOREIGN), sex, "", self.birth(min_age, max_age),
                           "passport", pick(rng, "EGKPM") + str(between(rng, 10 ** 7, 10 ** 8 - 1)),
                           self.mobile(), address, occupation)
        name, ethnicity = self.name(sex)
        if r < 0.10:  # neither ID number nor date of birth known at intake
            return Person("person", name, sex, ethnicity, None, "none", "", self.mobile(), address,
                           occupation)
        birth = self.birth(min_age, max_age)
        return Person("person", name, sex, ethnicity, birth, "resident_id",
                       self.resident_id(birth, sex), self.mobile(), address, occupation)

    def student(self, university: str) -> Person:
        rng = self.rng
        dorm = f"{university}{between(rng, 1, 23)}号宿舍楼{between(rng, 1, 6)}{between(rng, 1, 39):02d}室"
        year = dt.date.fromordinal(self.today_ordinal).year
        occupation = f"{university}{pick(rng, _MAJORS)}专业{between(rng, year - 6, year)}级学生"
        # Ages count from today while cases go back two years: adults then as well.
        return self._person(20, 29, occupation, dorm)

    def adult(self, occupation: str) -> Person:
        return self._person(32, 70, occupation, self.flat())

    def minor(self, university: str) -> Person:
        sex = pick(self.rng, SEXES)
        name, ethnicity = self.name(sex)
        birth = self.birth(14, 15)
        return Person("person", name, sex, ethnicity, birth, "resident_id", self.resident_id(birth, sex),
                       self.mobile(), self.flat(), f"{university}附属中学学生")

    def flat(self) -> str:
        rng = self.rng
        return (f"学府路{between(rng, 1, 299)}号{pick(rng, _ESTATES)}{between(rng, 1, 29)}栋"
                f"{between(rng, 1, 5)}单元{between(rng, 101, 2999)}室")

    def landlord(self) -> Person:
        if self.landlords and self.rng.random() < 0.2:
            return pick(self.rng, self.landlords)
        p = self.adult(pick(self.rng, ("个体房东", "退休职工", "自由职业", "某公司职员")))
        self.landlords.append(p)
        return p

    def shop(self, suffix: str) -> Person:
        same = self.shops.setdefault(suffix, [])
        rng = self.rng
        if same and rng.random() < 0.25:
            return pick(rng, same)
        rep, _eth = self.name(pick(rng, SEXES))
        area = pick(rng, _AREA_CODES)
        digits = 8 if len(area) == 3 else 7
        phone = f"{area}-{between(rng, 2, 8)}{int(rng.random() * 10 ** (digits - 1)):0{digits - 1}d}"
        p = Person("org", f"{pick(rng, _CITIES)}{pick(rng, _SHOP_WORDS)}{suffix}", "", "", None,
                    "other", "", phone, self.flat(), "", legal_representative=rep)
        same.append(p)
        return p
