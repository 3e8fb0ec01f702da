"""Handouts from problem sets: a YAML file of problems (with parameters drawn per seeded variant)
becomes an exercise sheet, worked solutions, an answer key and an exam, in LaTeX, Markdown and
HTML, a JSON key for the grader, and a Moodle quiz whose wrong options are the common mistakes."""
