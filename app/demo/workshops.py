"""Two lived-in demo workshops modelled on the seeds, dated relative to today."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth import services as accounts
from app.auth.models import Constituency, Sex, User
from app.courses.models import Course
from app.extensions import db
from app.mail.models import OutboxMessage
from app.workshops import access, seats, sessions, settings
from app.workshops import cohorts as cohort_rules
from app.workshops.models import Registration, Venue, Workshop, WorkshopStatus

# (first name, last name, country, constituency, language): ~18 countries, tripartite, EN/FR/ES.
PEOPLE = [
    ("Maria", "Santos", "PH", "government", "en"), ("Ramesh", "Thapa", "NP", "workers", "en"),
    ("Fatima", "El Idrissi", "MA", "government", "fr"), ("Moussa", "Ndiaye", "SN", "workers", "fr"),
    ("Lucía", "Hernández", "MX", "employers", "es"), ("Jorge", "Castillo", "GT", "government", "es"),
    ("Nimal", "Perera", "LK", "employers", "en"), ("Rahima", "Begum", "BD", "workers", "en"),
    ("Omar", "Haddad", "JO", "government", "en"), ("Grace", "Wanjiru", "KE", "workers", "en"),
    ("Abebe", "Tesfaye", "ET", "government", "en"), ("Siti", "Rahmawati", "ID", "employers", "en"),
    ("Andrés", "Gómez", "CO", "workers", "es"), ("Leila", "Ben Salah", "TN", "employers", "fr"),
    ("Kwame", "Mensah", "GH", "government", "en"), ("Dilnoza", "Karimova", "UZ", "other", "en"),
    ("Ayesha", "Khan", "PK", "workers", "en"), ("Paola", "Vera", "EC", "government", "es"),
]


def _demo_people(count: int) -> list[User]:
    """`count` demo participants, reusing those that exist."""
    people = []
    password_hash = accounts.hash_password("demo-pass-2026")
    for number in range(count):
        first, last, country, constituency, language = PEOPLE[number % len(PEOPLE)]
        email = f"{first.lower()}.{number}@demo.example.org".replace("í", "i").replace("é", "e").replace("ú", "u")
        user = accounts.find_by_email(email)
        if user is None:
            user = User(email=email, name=f"{first} {last}", password_hash=password_hash, country=country,
                        constituency=Constituency(constituency), sex=(Sex.FEMALE, Sex.MALE)[number % 2],
                        preferred_language=language, organisation="Demo organisation")
            db.session.add(user)
        people.append(user)
    db.session.flush()
    return people


def _at(day: date, hour: int, minute: int, zone: str) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone))


RUNNING_COURSE = "governing-labour-migration-course"


def load_workshops(admin: User, trainer: User, participant: User) -> int:
    if access.get_by_slug("inter-regional-labour-migration") is not None:
        return 0
    today = date.today()
    course_id = db.session.scalar(sa.select(Course.id).where(Course.key == "labour-migration"))
    zone = "Europe/Rome"

    inter = settings.save_workshop(Workshop(), admin, [trainer.id],
        slug="inter-regional-labour-migration",
        title={"en": "Inter-regional workshop on labour migration and development",
               "fr": "Atelier interrégional sur les migrations de main-d’œuvre et le développement",
               "es": "Taller interregional sobre migración laboral y desarrollo"},
        description={
            "en": ("Two days for government, workers' and employers' delegates from about 18 countries to compare "
                   "how they govern labour migration: fair recruitment, skills recognition, social protection "
                   "and bilateral agreements.\n\nInterpretation in English, French and Spanish."),
            "fr": ("Deux journées pour que des délégués des gouvernements, des organisations de travailleurs et "
                   "d’employeurs d’environ 18 pays comparent leur gouvernance des migrations de main-d’œuvre : "
                   "recrutement équitable, reconnaissance des compétences, protection sociale et accords "
                   "bilatéraux.\n\nInterprétation en anglais, en français et en espagnol."),
            "es": ("Dos días para que delegados de gobiernos y de organizaciones de trabajadores y de empleadores de "
                   "unos 18 países comparen cómo gobiernan la migración laboral: contratación equitativa, "
                   "reconocimiento de competencias, protección social y acuerdos bilaterales.\n\n"
                   "Interpretación en inglés, francés y español."),
        },
        course_id=course_id, starts_on=today + timedelta(days=10), ends_on=today + timedelta(days=11), timezone=zone,
        venue=Venue.CAMPUS,
        address={"en": "ITC-ILO campus, Viale Maestri del Lavoro 10, Turin, Italy",
                 "fr": "Campus du CIF-OIT, Viale Maestri del Lavoro 10, Turin (Italie)",
                 "es": "Campus del CIF-OIT, Viale Maestri del Lavoro 10, Turín (Italia)"},
        languages=["en", "fr", "es"], capacity=60, waitlist_enabled=True, requires_approval=False,
        status=WorkshopStatus.OPEN)
    course = settings.save_workshop(Workshop(), admin, [trainer.id],
        slug=RUNNING_COURSE,
        title={"en": "Two-week course: governing labour migration",
               "fr": "Cours de deux semaines : gouverner les migrations de main-d’œuvre",
               "es": "Curso de dos semanas: gobernanza de la migración laboral"},
        description={
            "en": "A two-week course on policy, standards and programmes, with study visits.",
            "fr": "Un cours de deux semaines sur les politiques, les normes et les programmes, avec des visites d’étude.",
            "es": "Un curso de dos semanas sobre políticas, normas y programas, con visitas de estudio.",
        },
        course_id=course_id, starts_on=today - timedelta(days=7), ends_on=today + timedelta(days=6), timezone=zone,
        venue=Venue.CAMPUS,
        address={"en": "ITC-ILO campus, Turin, Italy", "fr": "Campus du CIF-OIT, Turin (Italie)",
                 "es": "Campus del CIF-OIT, Turín (Italia)"},
        languages=["en", "fr", "es"], capacity=30,
        waitlist_enabled=True, requires_approval=True, status=WorkshopStatus.OPEN)

    people = _demo_people(66)
    seats.register(participant, inter.id, "en", "I follow labour migration policy at the Ministry of Labour.")
    for person in people[:64]:
        seats.register(person, inter.id, person.preferred_language if person.preferred_language in ("en", "fr", "es") else "en",
                          "To learn from other countries' experience.")
    # The demo participant is in the running course too (first to apply, so approved), and
    # attends every session: her certificate of participation is on her dashboard.
    # They applied three weeks before it began: a workshop under way takes no new registration.
    applied = datetime.combine(course.starts_on - timedelta(days=21), time(9), tzinfo=ZoneInfo(zone))
    seats.register(participant, course.id, "en", "I coordinate our bilateral labour agreements.", now=applied)
    for person in people[40:66]:
        seats.register(person, course.id, "fr" if person.preferred_language == "fr" else "en", "Policy work.",
                       now=applied)
    pending = db.session.scalars(sa.select(Registration.id).where(Registration.workshop_id == course.id)
                                 .order_by(Registration.sequence)).all()
    seats.approve(course.id, pending[:18], admin)

    names = {
        "en": {"en": "English group", "fr": "Groupe anglophone", "es": "Grupo anglófono"},
        "fr": {"en": "French group", "fr": "Groupe francophone", "es": "Grupo francófono"},
        "es": {"en": "Spanish group", "fr": "Groupe hispanophone", "es": "Grupo hispanohablante"},
    }
    cohort_rules.split_by_language(inter, trainer, names)
    cohorts = {c.language: c for c in cohort_rules.cohorts_of(inter.id)}
    day1, day2 = inter.starts_on, inter.ends_on
    skills = {"en": "Working group: skills recognition", "fr": "Groupe de travail : reconnaissance des compétences",
              "es": "Grupo de trabajo: reconocimiento de competencias"}
    plan = [
        (day1, (9, 0), (10, 30), None, {"en": "Opening plenary: labour migration today",
                                        "fr": "Plénière d’ouverture : les migrations de main-d’œuvre aujourd’hui",
                                        "es": "Plenaria de apertura: la migración laboral hoy"}, "Plenary hall"),
        (day1, (11, 0), (12, 30), None, {"en": "Panel: fair recruitment in practice",
                                         "fr": "Table ronde : le recrutement équitable en pratique",
                                         "es": "Panel: la contratación equitativa en la práctica"}, "Plenary hall"),
        (day1, (14, 0), (16, 0), "en", skills, "Room A"),
        (day1, (14, 0), (16, 0), "fr", skills, "Salle B"),
        (day1, (14, 0), (16, 0), "es", skills, "Sala C"),
        (day2, (9, 0), (11, 0), None, {"en": "Social protection and portability",
                                       "fr": "Protection sociale et portabilité des droits",
                                       "es": "Protección social y portabilidad de derechos"}, "Plenary hall"),
        (day2, (11, 30), (13, 0), None, {"en": "Bilateral agreements: country cases",
                                         "fr": "Accords bilatéraux : études de cas par pays",
                                         "es": "Acuerdos bilaterales: casos de países"}, "Plenary hall"),
        (day2, (14, 30), (16, 0), None, {"en": "Closing plenary and evaluation",
                                         "fr": "Plénière de clôture et évaluation",
                                         "es": "Plenaria de clausura y evaluación"}, "Plenary hall"),
    ]
    for day, start, end, language, title, room in plan:
        sessions.add_session(inter, trainer, title=title, room=room, cohort=cohorts.get(language) if language else None,
                             starts_at=_at(day, *start, zone), ends_at=_at(day, *end, zone))
    for offset in range(0, 14):
        day = course.starts_on + timedelta(days=offset)
        if day.weekday() < 5:
            title = {"en": f"Day {offset + 1}: lectures and group work",
                     "fr": f"Jour {offset + 1} : exposés et travaux de groupe",
                     "es": f"Día {offset + 1}: exposiciones y trabajo en grupo"}
            sessions.add_session(course, trainer, title=title, room="Room D",
                                 cohort=None, starts_at=_at(day, 9, 30, zone), ends_at=_at(day, 17, 0, zone))
    # Demo people are not real: nothing is e-mailed for them.
    db.session.execute(sa.delete(OutboxMessage))
    db.session.info.pop("mail_to_log", None)
    return 2
