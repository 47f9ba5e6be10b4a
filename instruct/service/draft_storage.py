"""The drafts' tables (brouillons), on the same `Base` as storage: what a town has typed in the guided form,
what its pieces gave (provenance), which pre-filled values it confirmed, and its pieces (blobs, stored once).
Imported by the migrations' environment so that Alembic and the schema tests see them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from instruct.service.storage import Base, new_id, now


class Brouillon(Base):
    __tablename__ = "brouillons"

    id: Mapped[str] = mapped_column(String(24), primary_key=True, default=new_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    commune_insee: Mapped[str] = mapped_column(String(5), index=True)
    dossier_id: Mapped[str | None] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    raw: Mapped[dict] = mapped_column(JSON, default=dict)  # the form's values exactly as typed
    provenance: Mapped[dict] = mapped_column(JSON, default=dict)  # field name -> quote read in a piece
    confirmations: Mapped[list] = mapped_column(JSON, default=list)  # field names the town confirmed
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)

    pieces: Mapped[list[BrouillonPiece]] = relationship(
        order_by="BrouillonPiece.name", cascade="all, delete-orphan", lazy="selectin"
    )


class BrouillonPiece(Base):
    __tablename__ = "brouillon_pieces"

    brouillon_id: Mapped[str] = mapped_column(ForeignKey("brouillons.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), primary_key=True)  # "convention-cadre.docx"
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
