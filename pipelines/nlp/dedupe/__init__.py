"""Exact and near-duplicate detection as pure functions (no Beam): shingles, MinHash, LSH,
the duplicate graph and canonical choice. ``pipelines.transforms.dedupe`` wires them into Beam."""

from pipelines.nlp.dedupe.fingerprint import Fingerprint, cluster_id, fingerprint, record_uid
from pipelines.nlp.dedupe.graph import Verdict, dedupe_fingerprints
from pipelines.nlp.dedupe.outputs import apply_verdict, dedupe_articles
from pipelines.nlp.dedupe.params import DedupeParams

__all__ = ["DedupeParams", "Fingerprint", "Verdict", "apply_verdict", "cluster_id", "dedupe_articles",
           "dedupe_fingerprints", "fingerprint", "record_uid"]
