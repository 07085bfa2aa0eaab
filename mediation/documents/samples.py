"""Made-up cases for previews, tests and ``docs/samples/`` (no real person anywhere).

Run ``python -m mediation.documents.samples docs/samples`` to render every form as PDF.
The first pair of parties has rare characters in their names (䶮 U+4DAE and 㛃 U+36C3
from CJK Ext-A, 𠮷 U+20BB7 from Ext-B) and the facts run over a page break.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

from mediation.documents.model import (
    Amount,
    DocumentContext,
    FollowUpRecord,
    Party,
    PartyRole,
    SessionRecord,
    Statement,
    TocItem,
)

RARE_NAMES = ("王𠮷祥", "李䶮㛃")

_FACT = (
    "申请人于2025年9月1日经中介介绍口头租住被申请人位于学府路某小区3栋2单元402室的房屋，"
    "约定月租金人民币壹仟伍佰元整（¥1,500.00），押金人民币贰仟伍佰元整（¥2,500.00），"
    "申请人当日以微信转账方式支付了押金及首月租金。被申请人称房屋尚在清理，未交付钥匙。"
    "此后申请人多次催要钥匙未果，于2025年9月20日提出解除租赁并要求退还押金和租金，"
    "被申请人以申请人违约为由拒绝退还押金，双方发生争执，申请人遂向警校联调中心申请调解。"
)


def sample_parties() -> list[Party]:
    """A student, a landlord, the student's agent (all fictitious)."""
    return [
        Party(
            name=RARE_NAMES[0],
            role=PartyRole.APPLICANT,
            sex="男",
            ethnicity="汉族",
            birth_date=dt.date(2004, 5, 17),
            occupation="学生",
            employer="某某大学法学院",
            address="某市某区学府路88号某某大学学生公寓7栋512室",
            phone="13800000001",
            id_number="110101200405170037",
        ),
        Party(
            name=RARE_NAMES[1],
            role=PartyRole.RESPONDENT,
            sex="女",
            ethnicity="回族",
            birth_date=dt.date(1979, 11, 2),
            occupation="个体经营者",
            address="某市某区学府路某小区3栋2单元402室",
            phone="13900000002",
            id_missing_reason="当事人未携带身份证件，已登记护照号码E00000000",
        ),
        Party(
            name="陈晓明",
            role=PartyRole.AGENT,
            sex="男",
            ethnicity="汉族",
            age=45,
            occupation="教师",
            employer="某某大学法学院",
            address="某市某区学府路88号",
            phone="13700000003",
            id_number="110101198001010037",
            represents=RARE_NAMES[0],
        ),
    ]


def sample_context(*, long_facts: bool = True, track: str = "people") -> DocumentContext:
    """A case that has been through every stage, so every form has something to print."""
    parties = sample_parties()
    facts = _FACT * (8 if long_facts else 1)
    police = track == "police"
    return DocumentContext(
        desk_name="某某大学警校联调中心",
        committee_name="某某街道人民调解委员会",
        police_unit="某市公安局某某分局某某派出所",
        case_number="（2026）X警校调字第012号",
        agreement_number="（2026）X警校调协字第007号"
        if not police
        else "某公（某）调字〔2026〕007号",
        track=track,
        category="合同（租房）",
        source="当事人申请",
        dispute_title="房屋租赁合同纠纷",
        registered_on=dt.date(2026, 3, 2),
        accepted_on=dt.date(2026, 3, 3),
        agreement_date=dt.date(2026, 3, 9),
        effective_date=dt.date(2026, 3, 9),
        closed_on=dt.date(2026, 4, 10),
        document_date=dt.date(2026, 3, 9),
        parties=parties,
        case_parties=parties,
        mediator="周明理",
        co_mediators=["吴静（法学院学生）"],
        recorder="郑书言",
        registrar="孙立",
        presiding_officer="刘警官",
        witness="何见证",
        facts=facts,
        claims="请求被申请人退还押金人民币贰仟伍佰元整（¥2,500.00）及首月租金人民币壹仟伍佰元整（¥1,500.00）。",
        disputed_matters="被申请人是否应当退还押金及已付租金。",
        responsibilities="被申请人未按约定交付房屋钥匙，对纠纷的发生负主要责任；申请人未签订书面合同，负次要责任。",
        incident_time=dt.datetime(2026, 2, 28, 19, 30),
        incident_place="某市某区学府路某小区3栋楼下",
        terms=[
            "被申请人于2026年3月20日前向申请人退还押金人民币贰仟伍佰元整（¥2,500.00）。",
            ("被申请人于2026年3月20日前向申请人退还首月租金人民币壹仟贰佰元整（¥1,200.00），"
             "其余人民币叁佰元整（¥300.00）作为申请人对被申请人的补偿。"),
            "双方租赁关系自本协议签订之日解除，双方就本纠纷再无其他争议。",
        ],
        amounts=[Amount("退还押金", Decimal("2500")), Amount("退还租金", Decimal("1200"))],
        performance_manner="银行转账至申请人本人账户",
        performance_place="某市某区",
        performance_deadline=dt.date(2026, 3, 20),
        performance_status="被申请人已于2026年3月18日转账人民币叁仟柒佰元整（¥3,700.00）。",
        session_place="某某大学警校联调中心调解室",
        session_time=dt.datetime(2026, 3, 9, 14, 0),
        session_records=[
            SessionRecord(
                started_at=dt.datetime(2026, 3, 5, 14, 0),
                ended_at=dt.datetime(2026, 3, 5, 15, 20),
                place="某某大学警校联调中心调解室",
                mediators=["周明理", "吴静"],
                recorder="郑书言",
                attendees=[RARE_NAMES[0], RARE_NAMES[1], "陈晓明"],
                statements=[
                    Statement(
                        RARE_NAMES[0], "我已经付了押金和房租，但一直拿不到钥匙，要求全部退还。"
                    ),
                    Statement(RARE_NAMES[1], "房子一直给他留着，他自己不住了，押金不能全退。"),
                    Statement(
                        "调解员", "向双方释明《民法典》关于租赁合同的规定，建议双方各让一步。"
                    ),
                ],
                result="双方同意再次调解。",
            ),
            SessionRecord(
                started_at=dt.datetime(2026, 3, 9, 14, 0),
                ended_at=dt.datetime(2026, 3, 9, 15, 0),
                place="某某大学警校联调中心调解室",
                mediators=["周明理"],
                recorder="郑书言",
                attendees=[RARE_NAMES[0], RARE_NAMES[1]],
                summary="经调解员释法明理，双方就押金和租金的退还达成一致。",
                result="达成调解协议，制作人民调解协议书。",
            ),
        ],
        follow_ups=[
            FollowUpRecord(
                date=dt.date(2026, 3, 25),
                visitor="吴静",
                visited=RARE_NAMES[0],
                method="电话",
                reason="了解调解协议履行情况",
                performance="被申请人已按协议全部履行。",
                result="当事人表示满意，纠纷已化解。",
            )
        ],
        termination_reason="被申请人明确表示拒绝继续调解",
        termination_routes=["向人民法院提起民事诉讼", "向消费者协会投诉"],
        termination_date=dt.date(2026, 3, 12),
        court="某市某区人民法院",
        outcome="调解成功，协议已履行",
        toc=[
            TocItem("人民调解申请书", dt.date(2026, 3, 2), "1-2", "申请人"),
            TocItem("人民调解受理登记表", dt.date(2026, 3, 3), "3", "孙立"),
            TocItem("人民调解权利义务告知书", dt.date(2026, 3, 3), "4", "调委会"),
            TocItem("人民调解记录", dt.date(2026, 3, 5), "5-7", "郑书言"),
            TocItem("人民调解协议书", dt.date(2026, 3, 9), "8-10", "调委会"),
            TocItem("人民调解回访记录", dt.date(2026, 3, 25), "11", "吴静"),
        ],
        retention_period="长期",
        archivist="孙立",
        archived_on=dt.date(2026, 4, 10),
        file_pages=11,
    )


def context_for(form: str) -> DocumentContext:
    """The sample context suited to ``form`` (police track for the police agreement)."""
    return sample_context(track="police" if form == "police_agreement" else "people")


def main(argv: list[str]) -> int:
    from mediation.documents.render import list_forms, render_pdf

    out = Path(argv[1] if len(argv) > 1 else "docs/samples")
    out.mkdir(parents=True, exist_ok=True)
    for info in list_forms():
        path = out / f"{info.form}.pdf"
        path.write_bytes(render_pdf(info.form, context_for(info.form)))
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
