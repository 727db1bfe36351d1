"""The secretariat's area: users (and, later, workshops, exports and reports)."""
