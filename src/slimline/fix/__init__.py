"""Fixes: findings -> text edits (safe or unsafe), applied until nothing changes."""
