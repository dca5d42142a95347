"""Exact what-if scores without copying the catalogue: per-item counts adjusted by deltas.

Every item's score is a function of a few counts over the datasets — the hits of a
proportion, the tally of per-dataset open-format points, the datasets failing a gate, the
accepted uses — plus catalogue-level facts (catalog URL, scope, added datasets, declared uses).
``Deltas`` takes those counts once for the base catalogue. A fix that changes some datasets is
scored by moving each changed dataset out of the counts and its changed copy in: O(items ×
changed datasets) per fix instead of re-scoring the whole catalogue, which made ranking
quadratic. A catalogue-level fix changes no dataset and is scored from the same counts with the
changed catalogue-level facts. Points stay exact ``Fraction``s and use the same formulas as the
kinds (``proportion_points``, ``open_points``, ``level_total``), so each gain equals what scoring
a changed copy gives — ``Facts.with_datasets`` + ``evaluate`` remain the definition the tests
compare against.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Callable, Sequence

from .facts import DatasetFacts, Facts
from .kind_open import open_points, point_slot, slot_points
from .kinds import binary, gate, proportion_points, use_accepted
from .levels import level_total
from .outcome import PRED, FixCandidate, Outcome, counted, denominator
from .rubric import ItemSpec, Rubric, param

if TYPE_CHECKING:
    from .engine import Evaluation

Pair = tuple[DatasetFacts, DatasetFacts, int]  # (before, after, how many datasets changed alike)
Score = tuple[Fraction, bool]  # (points, met) of one item


class _Item:
    """Counts of one item over the base catalogue; ``after`` scores a what-if from them."""

    def after(self, facts: Facts, pairs: Sequence[Pair], o: dict[str, Any]) -> Score:
        raise NotImplementedError


class _Direct(_Item):
    """Items that read catalogue-level facts only (binary, the dataset-list gate): scored directly, O(1)."""

    def __init__(self, item: ItemSpec, fn: Callable[[ItemSpec, Facts, dict[str, Any]], Outcome]) -> None:
        self.item, self.fn = item, fn

    def after(self, facts: Facts, pairs: Sequence[Pair], o: dict[str, Any]) -> Score:
        out = self.fn(self.item, facts, o)
        return out.points, out.met


class _GateCount(_Item):
    """``all_complete`` / ``open_have_resources``: met when no dataset is bad."""

    def __init__(self, item: ItemSpec, facts: Facts, bad: Callable[[DatasetFacts], bool], need_any: bool) -> None:
        self.bad = bad
        self.n_bad = sum(1 for d in facts.datasets if bad(d))
        self.need_any = need_any

    def after(self, facts: Facts, pairs: Sequence[Pair], o: dict[str, Any]) -> Score:
        n_bad = self.n_bad + sum((int(self.bad(new)) - int(self.bad(old))) * w for old, new, w in pairs)
        return Fraction(0), (bool(facts.datasets) or not self.need_any) and n_bad == 0


class _Scoped(_Item):
    """Items over the datasets in scope (``among``): keeps the scope size for the denominator."""

    def __init__(self, item: ItemSpec, o: dict[str, Any]) -> None:
        self.item = item
        self.open_only = param(item, "among", o, "all") != "all"
        self.n = 0

    def in_scope(self, d: DatasetFacts) -> bool:
        return not self.open_only or d.is_open

    def scope_size(self, pairs: Sequence[Pair]) -> int:
        return self.n + sum((int(self.in_scope(new)) - int(self.in_scope(old))) * w for old, new, w in pairs)


class _Proportion(_Scoped):
    def __init__(self, item: ItemSpec, facts: Facts, o: dict[str, Any]) -> None:
        super().__init__(item, o)
        self.reqs = [PRED[r] for r in (param(item, "require", o, []) or [])]
        self.needs_catalog = bool(item.params.get("requires_catalog_url"))
        self.hits = 0
        for d in facts.datasets:
            if self.in_scope(d):
                self.n += 1
                self.hits += self.hit(d, o)

    def hit(self, d: DatasetFacts, o: dict[str, Any]) -> int:
        return int(self.in_scope(d) and all(pred(d, o) for pred in self.reqs))

    def after(self, facts: Facts, pairs: Sequence[Pair], o: dict[str, Any]) -> Score:
        if self.needs_catalog and not facts.catalog_ok:
            return Fraction(0), False
        hits = self.hits + sum((self.hit(new, o) - self.hit(old, o)) * w for old, new, w in pairs)
        return proportion_points(self.item, o, hits, denominator(self.item, facts, o, self.scope_size(pairs)))


class _OpenFormat(_Scoped):
    def __init__(self, item: ItemSpec, facts: Facts, o: dict[str, Any]) -> None:
        super().__init__(item, o)
        self.values = slot_points(item, o)
        self.tally: Counter[int] = Counter()
        for d in facts.datasets:
            if self.in_scope(d):
                self.n += 1
                self.tally[point_slot(d, o)] += 1

    def after(self, facts: Facts, pairs: Sequence[Pair], o: dict[str, Any]) -> Score:
        n = self.scope_size(pairs)
        den = denominator(self.item, facts, o, n)
        full = Fraction(self.item.points)
        if den == 0:
            ok = o["empty_scope"] == "full"
            return (full if ok else Fraction(0)), ok
        tally = self.tally.copy()  # a handful of slots
        for old, new, weight in pairs:
            if self.in_scope(old):
                tally[point_slot(old, o)] -= weight
            if self.in_scope(new):
                tally[point_slot(new, o)] += weight
        tally[0] += den - n
        points = open_points(self.item, o, tally, self.values, den)
        return points, points == full


class _Declared(_Item):
    """Met when at least ``min_count`` distinct declared datasets have an accepted use."""

    def __init__(self, item: ItemSpec, facts: Facts, byid: dict[str, DatasetFacts], o: dict[str, Any]) -> None:
        self.item, self.byid = item, byid
        self.need = int(item.params.get("min_count", 1))
        self.utilization = facts.utilization
        self.used = {u.dataset for u in facts.utilization}
        self.ok = sum(1 for ds in self.used if use_accepted(byid[ds], o))

    def after(self, facts: Facts, pairs: Sequence[Pair], o: dict[str, Any]) -> Score:
        if facts.utilization is self.utilization:
            ok = self.ok + sum(int(use_accepted(new, o)) - int(use_accepted(old, o))
                               for old, new, _ in pairs if old.id in self.used)
        else:  # the fix declares a use: count the (short) new list
            changed = {new.id: new for _, new, _ in pairs}
            ok = sum(1 for ds in {u.dataset for u in facts.utilization}
                     if use_accepted(changed.get(ds) or self.byid[ds], o))
        if ok >= self.need:
            return Fraction(self.item.points), True
        return Fraction(0), False


def _counts(item: ItemSpec, facts: Facts, o: dict[str, Any], byid: dict[str, DatasetFacts]) -> _Item:
    if item.kind == "gate":
        req = item.params.get("require")
        if req == "all_complete":
            return _GateCount(item, facts, lambda d: not d.complete, need_any=True)
        if req == "open_have_resources":
            return _GateCount(item, facts, lambda d: d.is_open and not d.has_resources, need_any=False)
        return _Direct(item, gate)
    if item.kind == "proportion":
        return _Proportion(item, facts, o)
    if item.kind == "open_format":
        return _OpenFormat(item, facts, o)
    if item.kind == "declared":
        return _Declared(item, facts, byid, o)
    if item.kind == "binary":
        return _Direct(item, binary)
    raise ValueError(f"{item.key}: kind {item.kind!r} has no what-if counts")  # a new kind must add its own


class Deltas:
    """What-if scores of fixes against one base catalogue, without copying it."""

    def __init__(self, rubric: Rubric, facts: Facts, opts: dict[str, Any], base: "Evaluation") -> None:
        self.rubric, self.facts, self.opts = rubric, facts, opts
        self.byid = facts.by_id()
        self.used = {u.dataset for u in facts.utilization}
        self.items = {item.key: _counts(item, facts, opts, self.byid) for item in rubric.items()}

    def _pairs(self, changes: dict[str, dict[str, Any]]) -> list[Pair]:
        """(before, after, count) per group of changed datasets that score alike.

        Every count looks only at the scoring signature, so datasets with equal signatures and
        equal changes move the counts alike: a fix of 90,000 datasets is a few groups. Datasets
        with a declared use stay apart (the declared kind counts them by id).
        """
        groups: dict[tuple[Any, ...], list[Any]] = {}
        for ds, ch in changes.items():
            old = self.byid[ds]
            key = (old.signature(), tuple(sorted(ch.items())), ds if ds in self.used else None)
            group = groups.get(key)
            if group is None:
                groups[key] = [old, ch, 1]
            else:
                group[2] += 1
        return [(old, replace(old, **ch), n) for old, ch, n in groups.values()]

    def score(self, cand: FixCandidate) -> tuple[dict[str, Score], Fraction]:
        """Each item's ``(points, met)`` and the total if ``cand`` were applied."""
        if cand.changes is not None:
            facts, pairs = self.facts, self._pairs(cand.changes)
        else:
            facts, pairs = cand.apply(self.facts), []
            if facts.datasets is not self.facts.datasets:  # not a catalogue-level fix after all: score the copy
                from .engine import evaluate
                ev = evaluate(self.rubric, facts, self.opts)
                return {k: (out.points, out.met) for k, out in ev.outcomes.items()}, ev.total
        scores = {key: counts.after(facts, pairs, self.opts) for key, counts in self.items.items()}
        return scores, level_total(self.rubric, scores, self.opts)[1]
