"""Registers every sub-command on the group."""
