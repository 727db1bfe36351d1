"""Workshops: registration with seats, quotas and a waiting list; cohorts and sessions."""
