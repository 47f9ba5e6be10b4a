"""`acv courriels`: the outbox of the web service's notifications, for its administrator: how many mails
were sent, how many wait (and why: the last error), and `--relancer` to make the waiting ones due at once
(a running service sends them within a minute)."""

from __future__ import annotations

import sys

EXIT_OK = 0


def add_parsers(sub) -> None:
    outbox = sub.add_parser("courriels", help="boîte d'envoi des notifications : envoyés, en attente, erreurs")
    outbox.add_argument("--limite", type=int, default=50, help="courriels en attente affichés (50)")
    outbox.add_argument("--relancer", action="store_true", help="réessayer tout de suite les courriels en attente")
    outbox.add_argument("--base", help="URL de la base")


def cmd_courriels(args) -> int:
    from sqlalchemy import func, select, update

    from instruct.service.mail_storage import Courriel
    from instruct.service.storage import make_engine, now, sessions, upgrade
    from instruct.service.templating import fr_datetime

    engine = make_engine(args.base)
    upgrade(engine)
    with sessions(engine)() as session:
        waiting = Courriel.sent_at.is_(None)
        if args.relancer:
            done = session.execute(update(Courriel).where(waiting).values(next_attempt_at=now()))
            session.commit()
            sys.stdout.write(f"{done.rowcount} courriel(s) en attente à réessayer tout de suite\n")
        sent = session.scalar(select(func.count()).select_from(Courriel).where(Courriel.sent_at.is_not(None)))
        rows = list(session.scalars(select(Courriel).where(waiting).order_by(Courriel.id)))
        failed = sum(1 for row in rows if row.attempts)
        sys.stdout.write(f"Envoyés : {sent} ; en attente : {len(rows)} (dont {failed} après un échec)\n")
        for row in rows[: max(args.limite, 0)]:
            line = f"{row.id:>6} {fr_datetime(row.created_at)} {row.to} — {row.subject}"
            if row.attempts:
                line += f" — {row.attempts} essai(s), prochain {fr_datetime(row.next_attempt_at)} : {row.last_error}"
            sys.stdout.write(line + "\n")
    engine.dispose()
    return EXIT_OK
