"""Accounts: sign-up, login, profile, password reset, account deletion."""
