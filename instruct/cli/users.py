"""`acv users`: the web service's accounts, for its administrator (no SQL needed).

create (--courriel: where its notifications go), list, courriel (change or remove that address),
password (a new one, read on stdin or asked), disable and enable (a disabled account cannot log in,
its open sessions end at once), delete (soft: the account stays in the journal under its login, can
never log in again, and its login is never given to another).
"""

from __future__ import annotations

import sys

from instruct.errors import InputError, Problem
from instruct.vocabulary import canonical_partner

EXIT_OK = 0


def add_parsers(sub) -> None:
    users = sub.add_parser("users", help="comptes du service web")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    create = users_sub.add_parser("create", help="créer un compte (mot de passe lu sur l'entrée standard ou demandé)")
    create.add_argument("login")
    create.add_argument("--role", required=True, choices=("collectivite", "instructeur", "admin"))
    create.add_argument("--nom", default="")
    create.add_argument("--commune", help="collectivite : code INSEE de la commune")
    create.add_argument("--partenaire", type=canonical_partner, help="instructeur : action-logement, anah, anru ou ddt")
    create.add_argument("--territoire", help="instructeur : dep:01 (département) ou reg:84 (région)")
    create.add_argument("--courriel", help="adresse électronique où envoyer les notifications")
    create.add_argument("--base", help="URL de la base")
    listing = users_sub.add_parser("list", help="lister les comptes")
    listing.add_argument("--base", help="URL de la base")
    for name, text in (
        (
            "password",
            "changer le mot de passe (lu sur l'entrée standard ou demandé) ; les sessions ouvertes se ferment",
        ),
        ("disable", "désactiver un compte : plus de connexion, ses sessions ouvertes se ferment"),
        ("enable", "réactiver un compte désactivé"),
        ("delete", "supprimer un compte (il reste nommé dans le journal ; l'identifiant n'est jamais réattribué)"),
    ):
        command = users_sub.add_parser(name, help=text)
        command.add_argument("login")
        command.add_argument("--base", help="URL de la base")
    address = users_sub.add_parser("courriel", help="changer l'adresse des notifications (vide : plus de courriels)")
    address.add_argument("login")
    address.add_argument("courriel", help='prenom.nom@exemple.fr, ou "" pour n\'en plus recevoir')
    address.add_argument("--base", help="URL de la base")


def _password() -> str:
    import getpass

    return sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("Mot de passe : ")


def cmd_users(args) -> int:
    from sqlalchemy import select

    from instruct.service import accounts
    from instruct.service.storage import User, make_engine, sessions, upgrade

    engine = make_engine(args.base)
    upgrade(engine)
    with sessions(engine)() as session:
        if args.users_command == "list":
            for user in session.scalars(select(User).order_by(User.login)):
                where = user.commune_insee or (f"{user.partenaire} {user.territoire}" if user.partenaire else "")
                state = "supprimé" if user.deleted_at else "actif" if user.active else "inactif"
                sys.stdout.write(
                    f"{user.login:<24} {user.role:<13} {where:<20} {state:<9} {user.courriel or ''}".rstrip()
                )
                sys.stdout.write("\n")
            return EXIT_OK
        try:
            if args.users_command == "create":
                accounts.create_user(
                    session,
                    args.login,
                    _password(),
                    args.role,
                    nom=args.nom,
                    commune_insee=args.commune,
                    partenaire=args.partenaire,
                    territoire=args.territoire,
                    courriel=args.courriel,
                )
                done = f"Compte créé : {args.login} ({args.role})"
            elif args.users_command == "password":
                accounts.find_user(session, args.login)  # an unknown login is said before the password is asked
                accounts.set_password(session, args.login, _password())
                done = f"Mot de passe changé : {args.login} (ses sessions ouvertes sont fermées)"
            elif args.users_command == "courriel":
                user = accounts.set_courriel(session, args.login, args.courriel)
                done = f"Adresse des notifications de {args.login} : {user.courriel or 'aucune'}"
            elif args.users_command in ("disable", "enable"):
                user = accounts.find_user(session, args.login)
                accounts.set_active(session, args.login, args.users_command == "enable")
                done = f"Compte {'réactivé' if user.active else 'désactivé'} : {args.login}"
            else:
                accounts.delete_user(session, args.login)
                done = f"Compte supprimé : {args.login} (il reste nommé dans le journal des dossiers)"
        except accounts.AccountError as exc:
            raise InputError(args.login, [Problem("", str(exc))]) from None
        session.commit()
    sys.stdout.write(done + "\n")
    return EXIT_OK
