"""Measures: what a policy rule can measure about a pupil, each a unit in one place.

Each measure declares its name, the units its threshold may be in, the condition keys it takes,
whether it needs session dates, how its condition reads in the handbook and in a pupil's reason,
and how it is worked out: for one pupil now (engine/classify.py) and at the end of every school
week (engine/history.py), and for every pupil at once with numpy, now and by week (engine/batch.py).
The engine hands it the figures (counts over a window of weeks); the measure says which figure it
takes and how it compares with the threshold. To add a measure, write its class in the module of
its family and list it here.
"""

from __future__ import annotations

from attendtoolkit.policy.measures.base import COMPARE, COMPARE_WORDS, Measure, Outcome  # noqa: F401
from attendtoolkit.policy.measures.change import CHANGES
from attendtoolkit.policy.measures.counts import COUNTS
from attendtoolkit.policy.measures.pattern import PATTERNS
from attendtoolkit.policy.measures.shares import SHARES

MEASURES: dict[str, Measure] = {m.name: m for m in SHARES + COUNTS + CHANGES + PATTERNS}  # in the schema's order
