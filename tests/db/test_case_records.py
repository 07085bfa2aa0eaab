"""Records kept on a case besides its moves: investigations, sessions, follow-ups, attachments, notes."""

from __future__ import annotations

import pytest

from mediation import workflow
from mediation.errors import ValidationError
from mediation.services import case_records
from mediation.services.case_records import FollowUpInput
from mediation.timeutil import utcnow
from tests.factories import agreed_case


def test_performance_is_not_recorded_before_the_agreement_is_signed(db, desk) -> None:
    now = utcnow()
    with db.write() as s:
        case_id = agreed_case(s, desk, kind=workflow.ORAL, terms="被申请人当场退还押金2000元。")
    with db.write() as s, pytest.raises(ValidationError) as err:
        case_records.add_follow_up(s, desk.volunteer, case_id, FollowUpInput(
            visited_at=now, result="已退还。", performance_status="performed"))
    assert "签署" in err.value.errors["performance_status"]
    with db.write() as s:  # "not yet performed" is a fair thing to note before signing
        case_records.add_follow_up(s, desk.volunteer, case_id, FollowUpInput(
            visited_at=now, result="尚未退还。", performance_status="pending"))
