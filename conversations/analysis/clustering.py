"""Opinion groups from the vote matrix, the way Pol.is finds them, with scikit-learn.

1. Only participants with at least ``min_votes`` votes (passes count) are placed: a handful of
   votes says too little about a person's position.
2. Missing votes are imputed with the statement's mean among the placed participants
   (``SimpleImputer``), so a participant who did not see a statement sits in its middle.
3. ``PCA`` projects everyone on the axes that explain most of the disagreement; each
   projection is then multiplied by ``sqrt(statements / votes cast)`` (Pol.is' scaling: someone
   who voted on few statements would otherwise be pulled to the centre by the imputation).
4. ``KMeans`` (``n_init=10``, seeded) for every k from 2 to 5; the k with the best
   ``silhouette_score`` wins. Groups are numbered by size, largest first.

Where we differ from Pol.is: it clusters on the two axes of the map; we cluster on the first
:data:`CLUSTER_AXES` axes (k groups need up to k - 1 axes to lie apart: four or five planted
groups overlap on two), and the map draws the first two.

Degenerate cases give a single group: fewer than :data:`MIN_PLACED` placed participants, no
statement with votes, or everyone voting alike (no variance to project).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.metrics import silhouette_score

from conversations.analysis.matrix import VoteMatrix

MIN_PLACED = 4
MAX_GROUPS = 5
CLUSTER_AXES = MAX_GROUPS - 1


@dataclass(frozen=True)
class Groups:
    placed: np.ndarray  # bool per matrix row: on the map
    labels: np.ndarray  # group index (0 = largest) per placed participant
    coordinates: np.ndarray  # (placed, 2) map coordinates (the first two axes)
    silhouette: float | None  # of the chosen k; None with a single group
    explained: tuple[float, ...]  # variance explained by each axis

    @property
    def count(self) -> int:
        return int(self.labels.max()) + 1 if len(self.labels) else 0


def _single_group(placed: np.ndarray, n: int, coordinates=None) -> Groups:
    coordinates = np.zeros((n, 2)) if coordinates is None else coordinates
    return Groups(placed, np.zeros(n, dtype=int), coordinates, None, ())


def opinion_groups(
    matrix: VoteMatrix, *, min_votes: int = 7, seed: int = 0, max_groups: int = MAX_GROUPS
) -> Groups:
    counts = matrix.votes_per_participant
    placed = counts >= max(min_votes, 1)
    values = matrix.values[placed]
    n = values.shape[0]
    if n == 0:
        return _single_group(placed, 0)
    values = values[:, ~np.all(np.isnan(values), axis=0)]
    if n < MIN_PLACED or values.shape[1] == 0:
        return _single_group(placed, n)
    imputed = SimpleImputer(strategy="mean").fit_transform(values)
    if np.allclose(imputed.var(axis=0), 0):
        return _single_group(placed, n)
    components = min(CLUSTER_AXES, imputed.shape[1], n)
    pca = PCA(n_components=components, svd_solver="full", random_state=seed)
    projected = pca.fit_transform(imputed)
    projected *= np.sqrt(values.shape[1] / counts[placed])[:, None]
    if components < 2:
        projected = np.hstack([projected, np.zeros((n, 2 - components))])
    explained = tuple(float(v) for v in pca.explained_variance_ratio_[:2])
    distinct = len(np.unique(np.round(projected, 9), axis=0))
    best_score, best_labels = None, None
    for k in range(2, min(max_groups, distinct, n - 1) + 1):
        labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(projected)
        if len(set(labels)) < 2:
            continue
        score = float(silhouette_score(projected, labels))
        if best_score is None or score > best_score:
            best_score, best_labels = score, labels
    if best_labels is None:
        return Groups(placed, np.zeros(n, dtype=int), projected[:, :2], None, explained)
    return Groups(placed, _by_size(best_labels), projected[:, :2], best_score, explained)


def _by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber groups so that 0 is the largest (ties: the lower original label first)."""
    sizes = np.bincount(labels)
    order = sorted(range(len(sizes)), key=lambda g: (-sizes[g], g))
    mapping = np.empty(len(sizes), dtype=int)
    mapping[order] = np.arange(len(sizes))
    return mapping[labels]
