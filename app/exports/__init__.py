"""Exports: attendance, registrations and quiz results as CSV and XLSX, and sign-in sheets as PDF."""
