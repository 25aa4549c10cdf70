"""The pure domain core of Helix: plain Python over plain data. Imports no Django, no database, no web."""
