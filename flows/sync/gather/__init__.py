"""Gathering what planning needs: reading a route's ends and pairing their records.

``reading`` (raw pages -> canonical values), ``matcher`` (the initial match by business keys),
``pairs`` (plan one route), ``deletions``, ``sides`` (the shadow's side fingerprints),
``planned`` (what planning leaves for apply), ``parking`` (children waiting for their parent),
``resume`` (settling the write intents a crash left open, before planning).
"""

__all__: list[str] = []
