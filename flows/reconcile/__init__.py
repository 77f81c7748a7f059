"""Reconciliation: does the target hold what the source holds, field by field?

``compare`` compares a job's two ends record by record into a ``report``; ``html`` renders
the report as one page. ``crmbridge reconcile`` (``flows.cli.reconcile``) reads the ends and
writes the report.
"""

__all__: list[str] = []
