"""The domain layer: rules and services shared by every front door (appservice, bots, CLI, API).

Pure rules live in modules with no I/O (``roles``); services (``teams``) apply them to the state
read from a repository.
"""
