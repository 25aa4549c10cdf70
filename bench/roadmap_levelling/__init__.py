"""Roadmap levelling (RCPSP) on PSPLIB instances: level() beside serial LFT."""
