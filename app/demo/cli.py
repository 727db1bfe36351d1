"""`flask demo load [--scale N]`: the demo accounts of DESIGN.md, and N extra participants."""
import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from app.auth import services as accounts
from app.auth.models import Constituency, Sex, User
from app.core.permissions import Role
from app.demo.attendance import take_attendance
from app.demo.workshops import RUNNING_COURSE, load_workshops
from app.extensions import db
from app.workshops import access

demo_cli = AppGroup("demo", help="Demo data (development only).")

DEMO_PASSWORD = "demo-pass-2026"
DEMO_ACCOUNTS = [
    dict(email="admin@example.org", name="Amina Diallo", role=Role.ADMIN, country="SN",
         organisation="Passage secretariat", constituency=Constituency.OTHER, sex=Sex.FEMALE, preferred_language="en"),
    dict(email="trainer@example.org", name="Carlos Mendoza", role=Role.TRAINER, country="PE",
         organisation="ITC-ILO", constituency=Constituency.OTHER, sex=Sex.MALE, preferred_language="en"),
    dict(email="participant@example.org", name="Priya Raman", role=Role.PARTICIPANT, country="LK",
         organisation="Ministry of Labour", constituency=Constituency.GOVERNMENT, sex=Sex.FEMALE,
         preferred_language="en"),
]
COUNTRIES = ["PH", "NP", "MA", "SN", "MX", "GT", "LK", "BD", "JO", "KE", "ET", "ID", "CO", "TN", "GH", "UZ", "PK", "EC"]


def _ensure(email: str, **fields) -> bool:
    if accounts.find_by_email(email) is not None:
        return False
    accounts.create_user(email=email, password=DEMO_PASSWORD, **fields)
    return True


@demo_cli.command("load")
@click.option("--scale", default=0, show_default=True, help="Also create this many demo participants.")
def load(scale: int) -> None:
    """Create the demo accounts (idempotent)."""
    if not current_app.config["DEMO_DATA_ALLOWED"]:
        raise click.ClickException("Demo data is disabled in this configuration (production).")
    created = sum(_ensure(**account) for account in DEMO_ACCOUNTS)
    admin, trainer, participant = (accounts.find_by_email(account["email"]) for account in DEMO_ACCOUNTS)
    for person in (admin, trainer, participant):
        # Every run starts them in English: a language chosen in an earlier visit or a test is not left behind.
        person.preferred_language = "en"
    workshops = load_workshops(admin, trainer, participant)
    running = access.get_by_slug(RUNNING_COURSE)
    if running is not None:
        take_attendance(running, trainer, always_present={participant.id})
    existing = db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.email.like("demo%@example.org")))
    constituencies, sexes = list(Constituency), [Sex.FEMALE, Sex.MALE, Sex.FEMALE, Sex.MALE, Sex.UNDISCLOSED]
    for number in range(existing + 1, scale + 1):
        db.session.add(
            User(
                email=f"demo{number:05d}@example.org", name=f"Demo Participant {number}",
                password_hash=_shared_hash(),
                role=Role.PARTICIPANT, country=COUNTRIES[number % len(COUNTRIES)],
                constituency=constituencies[number % 4], sex=sexes[number % 5],
                preferred_language=("en", "fr", "es")[number % 3], organisation="Demo organisation",
            )
        )
        created += 1
    db.session.commit()
    click.echo(f"Demo data loaded: {created} account(s) and {workshops} workshop(s) created. "
               f"Password for every demo account: {DEMO_PASSWORD}")


_HASH = None


def _shared_hash() -> str:
    # Hashing thousands of passwords one by one would take minutes; they share one hash.
    global _HASH
    _HASH = _HASH or accounts.hash_password(DEMO_PASSWORD)
    return _HASH
