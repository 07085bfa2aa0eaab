"""Consultations corrected through the service: checked, audited without the phone in clear,
kept within the desk, and a stale copy refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mediation.errors import Conflict, NotFound
from mediation.models import AuditLog
from mediation.permissions import Actor
from mediation.services import consultations, setup
from mediation.services.consultations import ConsultationInput, ConsultationQuery


def test_a_consultation_is_corrected_and_audited(db, desk) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        cid = consultations.log_consultation(s, desk.volunteer, ConsultationInput(
            topic="押金", answer="协商。", person_name="王小明", phone="13700137000", category="合同"))
    with db.read() as s:
        seen = consultations.get_consultation(s, desk.volunteer, cid)
    data = ConsultationInput(topic="租房押金不退", answer="可申请调解。", person_name="王小明",
                             phone="13900139000", category="邻里")
    with db.write() as s:
        consultations.update_consultation(s, desk.volunteer, cid, data, expected_version=seen.version)
    with db.read() as s:
        now = consultations.get_consultation(s, desk.volunteer, cid)
        assert (now.topic, now.category, now.phone_masked) == ("租房押金不退", "邻里", "139****9000")
        row = s.scalars(select(AuditLog).where(AuditLog.action == "consultation.update")).one()
        assert row.after["phone"] == "***" and "13900139000" not in str(row.after)
        assert [c.id for c in consultations.list_consultations(s, desk.volunteer, ConsultationQuery(topic="租房"))] == [cid]
    with db.write() as s, pytest.raises(Conflict):  # edited meanwhile: the old copy is refused
        consultations.update_consultation(s, desk.volunteer, cid, data, expected_version=seen.version)
    with db.write() as s:
        other = setup.create_desk(s, desk.admin, name="第二中心", number_prefix="Y警校调字")
    stranger = Actor(desk.volunteer.user_id, "volunteer", "李同学", "volunteer", other)
    with db.write() as s, pytest.raises(NotFound):  # another desk's volunteer does not even see it
        consultations.update_consultation(s, stranger, cid, data)
