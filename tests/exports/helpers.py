"""Shared pieces of the export tests: the names that try to break files, and marks written straight to the database."""
from app.attendance.models import Attendance, MarkSource
from app.extensions import db

# Name, organisation, country: every script we expect, and text a spreadsheet would run as a formula.
PEOPLE = {
    "formula": ('=HYPERLINK("http://evil.example","Click")', "+44 Workers, \"United\"\nsecond line", "GB"),
    "arabic": ("محمد عبد الله", "الاتحاد العام لنقابات العمال", "EG"),
    "viet": ("Nguyễn Thị Lan", "-Bộ Lao động", "VN"),
    "polish": ("Łukasz Kowalski", "@Solidarność", "PL"),
    "yoruba": ("Ṣàngó Adébáyọ̀", "\tTabbed union", "NG"),
    "danish": ("Ørsted Hansen", "\rCarriage return", "DK"),
    "german": ("Müller", 'He said "hi", then left', "DE"),
    "turkish": ("Çelik", "Türk-İş", "TR"),
    "serbian": ("Đorđević", "Савез самосталних синдиката", "RS"),
    "russian": ("Владимир Иванов", "ФНПР", "RU"),
}


def mark(app, session_id, user_id, status):
    with app.app_context():
        db.session.add(Attendance(session_id=session_id, user_id=user_id, status=status, source=MarkSource.TRAINER))
        db.session.commit()
