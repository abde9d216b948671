"""Deduplication parameters: one frozen value object shared by the pure functions and transforms."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pipelines.nlp.dedupe.lsh import bands_for

# Defaults chosen by measurement (README "Deduplication": parameter sweep, cross-validated on the
# labelled groups and checked on synthetic planted copies), not tuned to one set.
DEFAULT_SHINGLE_SIZE = 3
DEFAULT_NUM_PERM = 128
DEFAULT_THRESHOLD = 0.5
DEFAULT_CONTAINMENT = 0.8
DEFAULT_MIN_SHINGLES = 20
DEFAULT_SEED = 1
DEFAULT_TTL_SECONDS = 7 * 24 * 3600
DEFAULT_MAX_BUCKET = 1000
# Candidates whose estimated Jaccard lies within this many standard deviations of the estimator
# (sqrt(J (1 - J) / num_perm), taken at the pair's own copy floor) are re-checked on their exact
# shingle sets. Measured (README "Deduplication"): over 200 salted hash draws of the 65 gold pairs
# with J 0.2-0.8 the estimate's spread was 0.82-1.12 of that sigma and its largest miss 3.5
# sigmas, so 3 would still let draws flip; at 4 a flip needs a miss beyond 4 sigmas (< 1e-4).
# Cost at 100k synthetic articles: 9,863 of 30,593 candidate pairs re-checked (5,951 at 3).
DEFAULT_RECHECK_SIGMAS = 4.0


@dataclass(frozen=True)
class DedupeParams:
    """How near-duplicates are found.

    ``threshold``: estimated Jaccard of the shingle sets at or above which two bodies are copies.
    ``containment``: or, the estimated share of the shorter body inside the longer one at or above
    which they are copies (a wire story trimmed to its first paragraphs); ``None`` disables it.
    ``bands`` x ``rows`` must not exceed ``num_perm``; when not given they are the longest bands that
    still make a pair at exactly ``threshold`` a candidate with probability >= 0.95
    (``lsh.bands_for``). Containment matches are verified among those candidates.
    ``recheck_sigmas``: a candidate whose estimate lies within this many standard deviations of
    its copy floor (``copy_floor``) is decided on its exact shingle sets instead; 0 disables it.
    """

    shingle_size: int = DEFAULT_SHINGLE_SIZE
    num_perm: int = DEFAULT_NUM_PERM
    threshold: float = DEFAULT_THRESHOLD
    containment: float | None = DEFAULT_CONTAINMENT
    bands: int = 0
    rows: int = 0
    min_shingles: int = DEFAULT_MIN_SHINGLES
    seed: int = DEFAULT_SEED
    ttl_seconds: int = DEFAULT_TTL_SECONDS
    max_bucket: int = DEFAULT_MAX_BUCKET
    near: bool = field(default=True)
    recheck_sigmas: float = DEFAULT_RECHECK_SIGMAS

    def __post_init__(self) -> None:
        if self.shingle_size < 1 or self.num_perm < 1 or self.min_shingles < 0:
            raise ValueError("shingle_size and num_perm must be >= 1, min_shingles >= 0")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        if self.containment is not None and not 0.0 < self.containment <= 1.0:
            raise ValueError("containment must be in (0, 1] or None")
        if self.recheck_sigmas < 0:
            raise ValueError("recheck_sigmas must be >= 0")
        if (self.bands or self.rows) and not (0 < self.bands * self.rows <= self.num_perm):
            raise ValueError(f"bands x rows must be in 1..num_perm ({self.bands} x {self.rows}, {self.num_perm})")
        if not self.bands:
            bands, rows = bands_for(self.threshold, self.num_perm)
            object.__setattr__(self, "bands", bands)
            object.__setattr__(self, "rows", rows)

    def is_copy(self, jaccard: float, contained: float) -> bool:
        """Two bodies with this Jaccard and this containment (estimated or exact) are copies."""
        return jaccard >= self.threshold or (self.containment is not None and contained >= self.containment)

    def with_(self, **changes: object) -> DedupeParams:
        """A copy with some fields changed; bands/rows are re-derived unless given."""
        if not {"bands", "rows"} & changes.keys():
            changes.update(bands=0, rows=0)
        return replace(self, **changes)
