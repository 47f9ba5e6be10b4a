"""The outbox (table `courriels`): every e-mail the service sends is first a row, written in the same
transaction as the change it tells about — so a mail exists if and only if that change was committed — then
sent by the background sender (`instruct.service.mail`), which claims a row with a conditional update,
retries with backoff and marks it sent. Imported by the migrations' environment."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from instruct.service.storage import Base, now


class Courriel(Base):
    __tablename__ = "courriels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    to: Mapped[str] = mapped_column(String(320))  # one address per row: one failure never holds another back
    subject: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))  # "depot", "a_completer", "decision", "message"…
    dossier_id: Mapped[str | None] = mapped_column(ForeignKey("dossiers.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # a sender holds it
