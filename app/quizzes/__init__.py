"""Quizzes: questions and choices from content/, attempts graded on the server."""
