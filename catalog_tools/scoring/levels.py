"""Item scores → level sums → total: the level rules, shared by ``evaluate`` and the what-if deltas."""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping

from .result import LevelScore
from .rubric import Rubric


def level_total(rubric: Rubric, scores: Mapping[str, tuple[Fraction, bool]],
                opts: dict[str, Any]) -> tuple[list[LevelScore], Fraction]:
    """The levels and the total from each item's ``(points, met)``.

    Gates only pass or fail; a level counts when its gates are met (and, by option, the basic
    level is reached and the previous level is full). ``base_plus_points`` adds the basic target.
    """
    levels: list[LevelScore] = []
    basic_met = False
    total = Fraction(0)
    previous_full = True
    for n, lv in enumerate(rubric.levels):
        gates_met = all(scores[i.key][1] for i in lv.items if i.kind == "gate")
        points = sum((scores[i.key][0] for i in lv.items if i.kind != "gate"), Fraction(0))
        maximum = sum(i.points for i in lv.items)
        if n == 0:
            basic_met = gates_met
            counted = gates_met
        else:
            counted = gates_met and (basic_met or not opts["zero_below_basic"])
            if n >= 2 and opts["advanced_requires_standard"] and not previous_full:
                counted = False
        previous_full = counted and points == maximum
        levels.append(LevelScore(lv.key, lv.title, lv.title_th, lv.target, points, maximum, gates_met, counted))
        if counted:
            total += points
    if basic_met and opts["total_mode"] == "base_plus_points":
        total += rubric.levels[0].target
    if not basic_met and opts["zero_below_basic"]:
        total = Fraction(0)
    return levels, total
