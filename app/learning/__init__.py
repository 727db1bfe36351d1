"""The participant's learning path: catalogue, reader and quizzes (routes only, above courses, quizzes and progress)."""
