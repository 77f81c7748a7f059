"""An entity's evidence JSON, written fast for a whole run, is the one Evidence writes."""

from __future__ import annotations

import math

from canonical import Contact, SourceRef
from canonical.dedupe import Contribution, ScoredPair
from flows.dedupe.evidence import ClusterEvidence, Evidence


def _contact(record_id: str) -> Contact:
    return Contact(source=SourceRef(system="csv", object="联系人", id=record_id), name="王伟")


def test_cluster_evidence_is_the_json_of_evidence_of_cluster() -> None:
    records = [_contact(i) for i in ('a"1', "b\\2", "c:3:4", "d\t5", "张三")]
    shared = Contribution("name", "exact", 8.25)
    odd = Contribution('e"mail', "typo\n", -0.5)
    clusters = [
        (0.875, [ScoredPair(0, 1, 0.875, 3.1, (shared, odd)), ScoredPair(1, 2, 0.9, 4.0, ())]),
        (1.0, []),
        (0.5, [ScoredPair(3, 4, 0.5, math.inf, (shared,)), ScoredPair(0, 4, 1.0, -2.5, (odd,))]),
        (0.999, [ScoredPair(2, 3, 0.999, 12.0, (Contribution("name", "exact", 8.25),))]),
    ]
    writer = ClusterEvidence(records)
    for weakest, pairs in clusters:
        expected = Evidence.of_cluster(weakest, pairs, records).to_json()
        assert writer.json(weakest, pairs) == expected
