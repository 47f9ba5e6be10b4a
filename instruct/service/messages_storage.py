"""The messagerie's tables, on the same `Base` as storage: one thread of messages per dossier between the town and
the instructeurs, and the files attached to a message (blobs, stored once). A « à compléter » request is a message
of kind `demande` that names the gaps to complete and the version it asks about. Imported by the migrations'
environment so that Alembic and the schema tests see them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from instruct.service.storage import Base, User, now

KINDS = ("message", "demande")  # a message; a « à compléter » request (the gaps named in `gaps`)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (CheckConstraint(f"kind IN {KINDS}", name="ck_messages_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    kind: Mapped[str] = mapped_column(String(20), default="message")
    text: Mapped[str] = mapped_column(Text)
    version_number: Mapped[int | None] = mapped_column(Integer)  # the dossier's latest version when written
    gaps: Mapped[list] = mapped_column(JSON, default=list)  # a request's gaps: id, rule, entity, message

    author: Mapped[User] = relationship()
    pieces: Mapped[list[MessagePiece]] = relationship(
        order_by="MessagePiece.name", cascade="all, delete-orphan", lazy="selectin"
    )


class MessagePiece(Base):
    __tablename__ = "message_pieces"

    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), primary_key=True)  # "plan-de-financement.pdf"
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    size: Mapped[int] = mapped_column(Integer)
