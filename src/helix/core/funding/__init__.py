"""Funds and instruments: SME status under Recommendation 2003/361/EC (sme.py), the ledger of each
instrument with balances from its entries (ledger.py), and caps declared as data and enforced across
instruments and over time: de minimis, per beneficiary and year, per project, an instrument's budget
(caps.py)."""
