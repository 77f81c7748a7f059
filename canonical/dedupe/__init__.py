"""Entity resolution for canonical Contacts and Accounts, and for any other columns.

Batch: ``resolve(contacts)`` -> ``Resolution`` (clusters AUTO or REVIEW, timings, the model).
Incremental: ``record_features`` + ``blocking_keys`` to index golden records, ``match_one``
to score a new record against the candidates a ``CandidateSource`` returns.

Stages: features (one columnar FeatureTable) -> blocking (several rules, block-size cap with
a sorted-neighbourhood window) -> comparing (discrete levels per comparison) -> estimating
(Fellegi-Sunter m by EM, u from random pairs, prior; skipped when a model is given; an input
below ``DedupeSettings.min_records_for_em`` takes m from the preset's reference model and u
from all its pairs, duplicates discounted: see reference.py, small_input.py) ->
scoring (log2 Bayes factors, term-frequency adjusted) -> clustering (average linkage inside
linked groups, conflicts never merge).

Other data (e.g. the FEBRL benchmark) needs only a FeatureTable and a LinkageSpec built from
the same declarative parts as the Contact preset::

    from canonical.dedupe import (BlockingRule, Column, Comparison, DedupeSettings,
                                  FeatureTable, Level, LevelKind, LinkageSpec, resolve_table)
    E, JW, DL, ELSE = (LevelKind.EXACT, LevelKind.JARO_WINKLER,
                       LevelKind.DAMERAU_LEVENSHTEIN, LevelKind.ELSE)

    def name(column):
        return Comparison(column, (Level("exact", E, (column,), tf_column=column),
                                   Level("jw_high", JW, (column,), 0.92),
                                   Level("jw_mid", JW, (column,), 0.80),
                                   Level("else", ELSE)), null_columns=(column,))

    spec = LinkageSpec(
        kind="febrl",
        columns=tuple(Column(c) for c in ("given_name", "surname", "date_of_birth", "postcode",
                                          "suburb", "state", "address_1", "address_2",
                                          "street_number")),
        comparisons=(
            name("given_name"), name("surname"),
            Comparison("date_of_birth", (Level("exact", E, ("date_of_birth",)),
                                         Level("typo", DL, ("date_of_birth",), 1),
                                         Level("else", ELSE)), null_columns=("date_of_birth",)),
            ...,  # postcode, suburb, address_1 (+ street_number), address_2, state alike
        ),
        blocking=(
            BlockingRule("dob", ("date_of_birth",), sort_column="surname"),
            BlockingRule("names", ("surname", "given_name")),
            BlockingRule("pc", ("postcode",), sort_column="surname"),
            # Sorted neighbourhoods: a big block (one state) is compared within a sliding
            # window sorted by a column, which finds typos no exact key can.
            BlockingRule("w1", ("state",), sort_column="surname"),
            BlockingRule("w2", ("state",), sort_column="given_name"),
            BlockingRule("w3", ("state",), sort_column="address_1"),
            BlockingRule("sn", ("street_number",), sort_column="surname"),
            BlockingRule("sa", ("street_number",), sort_column="address_1"),
            BlockingRule("ss", ("surname", "suburb")),
        ),
    )
    table = FeatureTable({"given_name": [...], "surname": [...], ...})   # None = missing
    resolution = resolve_table(table, spec, DedupeSettings())

Levels are tried in order (the first that holds wins, ELSE ends the list); ``tf_column``
weakens common values (several columns multiply their shares); ``Column(name, group)`` tells
EM which columns carry the same evidence; ``Comparison.depends_on`` takes u from pairs that
agree on another comparison (colleagues, namesakes); ``ConflictRule`` names comparisons whose
joint ELSE forbids a merge (``LinkageSpec.review_rules``, of the same shape, only keep it
from being automatic). ``register_preset`` makes a Preset (spec + table builder) known to
``blocking_keys`` and ``match_one``.
"""

from canonical.dedupe.blocking import CandidatePairs, candidate_pairs
from canonical.dedupe.compare import compare_pairs
from canonical.dedupe.engine import estimate_model, resolve, resolve_table
from canonical.dedupe.features import FeatureTable
from canonical.dedupe.incremental import blocking_keys, match_one, record_features
from canonical.dedupe.model import MatchModel, ModelError, TermFrequencies
from canonical.dedupe.presets import Preset, preset_for, preset_named, register_preset
from canonical.dedupe.reference import Reference, ReferenceModelError, reference_m
from canonical.dedupe.scoring import score_pairs
from canonical.dedupe.spec import (
    BlockingRule,
    Column,
    Comparison,
    ConflictRule,
    Level,
    LevelKind,
    LinkageSpec,
    SpecError,
)
from canonical.dedupe.survivorship import (
    GoldenRecord,
    Rule,
    SurvivorshipError,
    SurvivorshipRules,
    golden_record,
)
from canonical.dedupe.types import (
    BlockingRuleReport,
    CandidateSource,
    Cluster,
    ClusterDecision,
    Contribution,
    DedupeSettings,
    IncrementalMatch,
    RecordFeatures,
    Resolution,
    ScoredPair,
    StageTiming,
)

__all__ = [
    "BlockingRule",
    "BlockingRuleReport",
    "CandidatePairs",
    "CandidateSource",
    "Cluster",
    "ClusterDecision",
    "Column",
    "Comparison",
    "ConflictRule",
    "Contribution",
    "DedupeSettings",
    "FeatureTable",
    "GoldenRecord",
    "IncrementalMatch",
    "Level",
    "LevelKind",
    "LinkageSpec",
    "MatchModel",
    "ModelError",
    "Preset",
    "RecordFeatures",
    "Reference",
    "ReferenceModelError",
    "Resolution",
    "Rule",
    "ScoredPair",
    "SpecError",
    "StageTiming",
    "SurvivorshipError",
    "SurvivorshipRules",
    "TermFrequencies",
    "blocking_keys",
    "candidate_pairs",
    "compare_pairs",
    "estimate_model",
    "golden_record",
    "match_one",
    "preset_for",
    "preset_named",
    "record_features",
    "reference_m",
    "register_preset",
    "resolve",
    "resolve_table",
    "score_pairs",
]
