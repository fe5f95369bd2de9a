"""Moderation rules: policy lists, what they ban, protections and their settings.

Pure rules live here; the appservice (``bridge.moderation``) enforces them on what the homeserver
tells it, and the moderation bot (``bots.moderation*``) on what it reads in encrypted rooms.
"""
