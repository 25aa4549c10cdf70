"""Registry rules that need no database: legal identifiers, the engagement ladder, import rows."""
