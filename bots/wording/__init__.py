"""Every sentence a bot says, in French (default) and English, one module per subject.

:mod:`bots.i18n` merges them and refuses a key defined twice.
"""
