"""The opinion map as stored in a snapshot (``OpinionSnapshot.data``): JSON only.

``build_report(matrix, groups)`` returns::

    {
      "groups": [{"index": 0, "size": 412, "centroid": [x, y], "hull": [[x, y], ...],
                  "representative": [{"statement": id, "direction": "agree",
                                      "share": 0.83, "rest_share": 0.21}, ...]}, ...],
      "points": [[x, y, group], ...],          # placed participants, coordinates in [-1, 1]
      "consensus": [{"statement": id, "score": 0.61}, ...],
      "divisive": [{"statement": id, "score": 0.74}, ...],
      "divisiveness": {"<statement id>": 0.74, ...},
      "counts": {"<statement id>": [[agree, disagree, pass], ...one per group]},
      "totals": {"<statement id>": [agree, disagree, pass]},   # every voter, placed or not
      "silhouette": 0.58 | null, "explained": [0.41, 0.12],
    }

Sizes and counts are raw here; what may be published is decided when the page or the export
reads them (``conversations.selectors``, through ``core.disclosure``).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import ConvexHull, QhullError

from conversations.analysis import statements as measures
from conversations.analysis.clustering import Groups
from conversations.analysis.matrix import VoteMatrix


def _normalised(coordinates: np.ndarray) -> np.ndarray:
    if not len(coordinates):
        return coordinates
    centred = coordinates - coordinates.mean(axis=0)
    extent = np.abs(centred).max()
    return centred / extent if extent > 0 else centred


def _hull(points: np.ndarray) -> list[list[float]]:
    if len(points) >= 3:
        try:
            return points[ConvexHull(points).vertices].round(4).tolist()
        except QhullError:  # collinear or coincident points: fall back to the extremes
            pass
    unique = np.unique(points.round(4), axis=0)
    if len(unique) > 2:
        unique = unique[[0, -1]]
    return unique.tolist()


def build_report(matrix: VoteMatrix, groups: Groups) -> dict:
    ids = matrix.statements
    values = matrix.values[groups.placed]
    k = groups.count
    coordinates = _normalised(groups.coordinates)
    counts = measures.GroupCounts.of(values, groups.labels, k)
    divisiveness = measures.divisiveness(counts)
    described = []
    for g in range(k):
        members = coordinates[groups.labels == g]
        described.append(
            {
                "index": g,
                "size": int(len(members)),
                "centroid": members.mean(axis=0).round(4).tolist(),
                "hull": _hull(members),
                "representative": [
                    {
                        "statement": ids[r.statement],
                        "direction": r.direction,
                        "share": round(r.share, 4),
                        "rest_share": round(r.rest_share, 4),
                    }
                    for r in measures.representative(counts, g)
                ],
            }
        )
    return {
        "groups": described,
        "points": [
            [round(float(x), 4), round(float(y), 4), int(g)]
            for (x, y), g in zip(coordinates, groups.labels, strict=True)
        ],
        "consensus": [
            {"statement": ids[s], "score": round(score, 4)}
            for s, score in measures.consensus(counts)
        ],
        "divisive": [
            {"statement": ids[s], "score": round(score, 4)}
            for s, score in measures.divisive(counts)
        ],
        "divisiveness": {str(ids[s]): round(float(v), 4) for s, v in enumerate(divisiveness)},
        "counts": {
            str(ids[s]): [
                [int(counts.agree[g, s]), int(counts.disagree[g, s]), int(counts.passed[g, s])]
                for g in range(k)
            ]
            for s in range(len(ids))
        },
        "totals": {
            str(ids[s]): [
                int(np.sum(matrix.values[:, s] == 1)),
                int(np.sum(matrix.values[:, s] == -1)),
                int(np.sum(matrix.values[:, s] == 0)),
            ]
            for s in range(len(ids))
        },
        "silhouette": None if groups.silhouette is None else round(groups.silhouette, 4),
        "explained": [round(v, 4) for v in groups.explained],
    }
