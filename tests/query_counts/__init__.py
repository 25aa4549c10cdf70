"""Two-size query-count tests of every list page and API list."""
