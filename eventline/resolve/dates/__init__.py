"""Dates: time expressions in a parsed text, resolved against the publication date.

expressions.py is the entry point (find_time_expressions, find_dateline, resolve_time_text);
spans.py finds the expressions, rules.py resolves them (its table of patterns, with the
handlers in days.py and periods.py), tense.py picks the day
before or after the anchor, and calendar.py holds the shared vocabulary (month names, the
lexicon in eventline/data/dates/lexicon.yaml) and result types.
"""
