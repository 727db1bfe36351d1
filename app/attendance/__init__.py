"""Attendance: who came to each session, marked by a trainer or by self check-in with a short code."""
