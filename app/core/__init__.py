"""Pieces every domain shares: permissions, errors, enums, i18n helpers, audit, security headers."""
