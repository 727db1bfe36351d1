"""The trainers' area: their workshops (registrations, cohorts, sessions, attendance)."""
