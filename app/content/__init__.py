"""Content: courses as Markdown and YAML in content/, validated with file and line, then synced into the database.

Layout (see content/README.md for authors):

    <course>/course.yml                 title, summary, modules (module keys in order)
    <course>/<module>/en.md             front matter, then sections "## Title {#section-key}"
    <course>/<module>/fr.md, es.md      optional translations with the same section keys
    <course>/<module>/quiz.yml          pass_mark, max_attempts, questions with choices

Reading (loader → modules, quizzes → checks, yaml_lines, markdown_checks) builds a `tree`
and touches no database; `sync` writes a tree that passed; `cli` is `flask content check|sync`.
"""
