"""What campaign admins use, shared by their two doors: the ``ralliement admin`` command and the
HTTP provisioning API (:mod:`bridge.provisioning`).

``messages`` turns domain refusals into admin text, ``inputs`` checks what admins type, ``views``
shapes teams as JSON and text, ``tables`` reads CSV files and JSON rows, ``importer`` imports
them as teams; ``cli`` is the command. Every rule stays in
:mod:`bridge.domain`; these modules only read input and show results.
"""
