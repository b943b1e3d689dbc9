"""Intake: reading, checking, keeping and loading the files units send."""
