"""Calls for proposals as data: eligibility rules evaluated with reasons (eligibility.py), application
forms and their checks (forms.py), the call's and the application's lifecycles and deadlines in time zones
(lifecycle.py), and whole calls read from JSON, with the seed documents' calls in data/ (definition.py)."""
