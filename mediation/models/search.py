"""Search and count structures kept by triggers (migration 0008): never written by the program itself.

* :class:`SearchGram` / :class:`ConsultationGram`: the 1- and 2-character substrings of
  party names (of the asker's name), in the list's order; short searches read them.
* :class:`SearchWalkGram`: per desk, the 1- and 2-character substrings that occur in
  case numbers or phones (a short term found among them is looked for on the rows).
* :class:`CaseStageCount`: cases per desk and stage.
* :class:`SearchGramCount` (migration 0014): per desk and 1–2 character substring, how
  many cases hold it in their party names, phones or number (a short search's exact count).

Each row carries its desk (row-level security on PostgreSQL covers these tables).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mediation.models.base import Base


class SearchGram(Base):
    __tablename__ = "search_gram"
    __table_args__ = ({"sqlite_with_rowid": False},)

    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), primary_key=True)
    registered_at: Mapped[dt.datetime] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class ConsultationGram(Base):
    __tablename__ = "consultation_gram"
    __table_args__ = ({"sqlite_with_rowid": False},)

    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), primary_key=True)
    asked_at: Mapped[dt.datetime] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class SearchWalkGram(Base):
    __tablename__ = "search_walk_gram"
    __table_args__ = ({"sqlite_with_rowid": False},)

    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), primary_key=True)
    gram: Mapped[str] = mapped_column(String(2), primary_key=True)


class CaseStageCount(Base):
    __tablename__ = "case_stage_count"

    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), primary_key=True)
    stage: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class SearchGramCount(Base):
    __tablename__ = "search_gram_count"
    __table_args__ = ({"sqlite_with_rowid": False},)

    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), primary_key=True)
    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
