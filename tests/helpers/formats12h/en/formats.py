"""English with a 12-hour clock, for tests that check outputs follow the reader's formats
(tests/test_locale_outputs.py): Helix's own English formats use 24 h, like every other language it has."""

TIME_FORMAT = "g:i A"
DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y, g:i A"
SHORT_DATE_FORMAT = "m/d/Y"
