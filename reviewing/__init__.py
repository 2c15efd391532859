"""The review engine shared by the leadership programme and the contests: pure functions, no
tables of its own.

Each app keeps its own rows (an assignment of a reviewer or juror to an item, a conflict
declaration, a score per criterion) and asks this package for the rules that are the same
everywhere:

- ``assignment``: who reviews what, load balanced, never a declared conflict, never one's own;
- ``criteria``: a submitted score sheet checked against the weighted criteria;
- ``conflicts``: what a conflict-of-interest declaration must say, before or after scoring;
- ``scoring``: weighted means, per-reviewer calibration (z-score) and disagreement flags;
- ``ranking``: the order by score, with the reason of each place.
"""
