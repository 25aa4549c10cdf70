"""Matchmaking as data: the lifecycles of an event, its schedule runs, and both kinds of meeting request
(one participant of an event asking another; one organisation asking another from a matched need and
offer)."""
