"""Personal data: masking it in logs, erasing a person (``crmbridge forget``), and the salted
hashes that remember an erasure without remembering the person.

Kept light: the command line imports ``flows.privacy.masking`` at start-up; the erasure
modules load the sync engine and are imported only by ``crmbridge forget``.
"""

__all__: list[str] = []
