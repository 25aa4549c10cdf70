"""Bringing people in: invitations, sign-up requests and the lists of people staff invite at once."""
