"""Public pages: home, data notice, language choice, and the participant's dashboard."""
