"""Imports every model so that Alembic and create_app() see the whole schema."""
from app.attendance.models import Attendance, CheckIn  # noqa: F401
from app.auth.models import User  # noqa: F401
from app.certificates.models import Certificate  # noqa: F401
from app.core.audit import AuditEntry  # noqa: F401
from app.courses.models import Course, Module, Section  # noqa: F401
from app.mail.models import OutboxMessage  # noqa: F401
from app.progress.models import ModuleProgress  # noqa: F401
from app.quizzes.models import Choice, Question, Quiz, QuizAttempt  # noqa: F401
from app.workshops.models import Cohort, Registration, Workshop, WorkshopSession  # noqa: F401
