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
from .kind_open import open_format, open_points, point_slot, slot_points
from .kinds import binary, dataset_list_gate, proportion_points, share_points, use_accepted
from .levels import level_total
from .outcome import PRED, FixCandidate, Outcome, catalog_missing, denominator
from .rubric import ItemSpec, Rubric, param

if TYPE_CHECKING:
    from .engine import Evaluation

Pair = tuple[DatasetFacts, DatasetFacts, int]  # (before, after, how many datasets changed alike)
Score = tuple[Fraction, bool]  # (points, met) of one item


class _Item:
    """Counts of one item over the base catalogue; ``after`` scores a what-if from them.

    ``view`` is the datasets the item sees: all of them, or, when FY2566 condition 1 is read
    leniently (``every_dataset_gate: false``), only the complete ones (``evaluate`` passes such
    items ``Facts.without_incomplete()``).
    """

    def __init__(self, item: ItemSpec, view: Callable[[DatasetFacts], bool]) -> None:
        self.item, self.view = item, view

    def after(self, facts: Facts, pairs: Sequence[Pair], o: dict[str, Any]) -> Score:
        raise NotImplementedError

    def delta(self, pairs: Sequence[Pair], fn: Callable[[DatasetFacts], bool]) -> int:
        """How many more datasets seen by this item satisfy ``fn`` after the changes."""
        return sum((int(self.view(new) and fn(new)) - int(self.view(old) and fn(old))) * w for old, new, w in pairs)


class _Direct(_Item):
    """Items that read catalogue-level facts only (binary): scored directly, O(1)."""

    def __init__(self, item: ItemSpec, view: Callable[[DatasetFacts], bool],
                 fn: Callable[[ItemSpec, Facts, dict[str, Any]], Outcome]) -> None:
        super().__init__(item, view)
        self.fn = fn

    def after(self, facts: Facts, pairs: Sequence[Pair], o: dict[str, Any]) -> Score:
        out = self.fn(self.item, facts, o)
        return out.points, out.met


class _DatasetList(_Item):
    """The dataset-list gate: how many datasets, how many IMD, any newly selected."""

    def __init__(self, item: ItemSpec, view: Callable[[DatasetFacts], bool], groups: Groups) -> None:
        super().__init__(item, view)
        seen = [(d, w) for d, w in groups if view(d)]
        self.n, self.imd, self.new = sum(w for _, w in seen), sum(w for d, w in seen if d.imd), sum(w for d, w in seen if d.new)

    def after(self, facts: Facts, pairs: Sequence[Pair], o: dict[str, Any]) -> Score:
        n = self.n + self.delta(pairs, lambda d: True) + facts.added_datasets
        out = dataset_list_gate(facts, o, n, self.imd + self.delta(pairs, lambda d: d.imd),
                                self.new + self.delta(pairs, lambda d: d.new) > 0)
        return out.points, out.met


class _GateCount(_Item):
    """``all_complete`` / ``open_have_resources``: met when no dataset is bad (or, read leniently,
    when enough are complete)."""

    def __init__(self, item: ItemSpec, view: Callable[[DatasetFacts], bool], groups: Groups,
                 bad: Callable[[DatasetFacts], bool], met: Callable[[int, int], bool]) -> None:
        super().__init__(item, view)
        self.bad, self.met = bad, met
        self.n = sum(w for d, w in groups if view(d))
        self.n_bad = sum(w for d, w in groups if view(d) and bad(d))

    def after(self, facts: Facts, pairs: Sequence[Pair], o: dict[str, Any]) -> Score:
        return Fraction(0), self.met(self.n + self.delta(pairs, lambda d: True), self.n_bad + self.delta(pairs, self.bad))


class _Hits(_Item):
    """Items over the datasets in scope (``among``) that count those meeting every ``require``."""

    def __init__(self, item: ItemSpec, view: Callable[[DatasetFacts], bool], groups: Groups, o: dict[str, Any],
                 points: Callable[[ItemSpec, dict[str, Any], int, int], Score], use_den: bool) -> None:
        super().__init__(item, view)
        self.open_only = param(item, "among", o, "all") != "all"
        self.reqs = [PRED[r] for r in (param(item, "require", o, []) or [])]
        self.points, self.use_den = points, use_den
        self.o = o
        self.n = sum(w for d, w in groups if self.in_scope(d))
        self.hits = sum(w for d, w in groups if self.in_scope(d) and self.hit(d))

    def in_scope(self, d: DatasetFacts) -> bool:
        return self.view(d) and (not self.open_only or d.is_open)

    def hit(self, d: DatasetFacts) -> bool:
        return all(pred(d, self.o) for pred in self.reqs)

    def after(self, facts: Facts, pairs: Sequence[Pair], o: dict[str, Any]) -> Score:
        if catalog_missing(self.item, facts, o) is not None:
            return Fraction(0), False
        n = self.n + self.delta(pairs, self.scoped)
        hits = self.hits + self.delta(pairs, lambda d: self.scoped(d) and self.hit(d))
        return self.points(self.item, o, hits, denominator(self.item, facts, o, n) if self.use_den else n)

    def scoped(self, d: DatasetFacts) -> bool:
        return not self.open_only or d.is_open


class _OpenFormat(_Item):
    def __init__(self, item: ItemSpec, view: Callable[[DatasetFacts], bool], facts: Facts, groups: Groups,
                 o: dict[str, Any]) -> None:
        super().__init__(item, view)
        self.open_only = param(item, "among", o, "all") != "all"
        self.values = slot_points(item, o)
        self.uploads_known = facts.uploads_known
        self.tally: Counter[int] = Counter()
        self.n = 0
        for d, w in groups:
            if self.in_scope(d):
                self.n += w
                self.tally[point_slot(item, d, facts, o)] += w

    def in_scope(self, d: DatasetFacts) -> bool:
        return self.view(d) and (not self.open_only or d.is_open)

    def after(self, facts: Facts, pairs: Sequence[Pair], o: dict[str, Any]) -> Score:
        if catalog_missing(self.item, facts, o) is not None:
            return Fraction(0), False
        if facts.uploads_known != self.uploads_known:  # not a what-if any fix makes; stay exact anyway
            out = open_format(self.item, facts, o)
            return out.points, out.met
        n = self.n + sum((int(self.in_scope(new)) - int(self.in_scope(old))) * w for old, new, w in pairs)
        den = denominator(self.item, facts, o, n)
        full = Fraction(self.item.points)
        if den == 0:
            ok = o["empty_scope"] == "full"
            return (full if ok else Fraction(0)), ok
        tally = self.tally.copy()  # a handful of slots
        for old, new, w in pairs:
            if self.in_scope(old):
                tally[point_slot(self.item, old, facts, o)] -= w
            if self.in_scope(new):
                tally[point_slot(self.item, new, facts, o)] += w
        tally[0] += den - n
        points = open_points(self.item, o, tally, self.values, den)
        return points, points == full


class _Declared(_Item):
    """Met when at least ``min_count`` distinct declared datasets have an accepted use."""

    def __init__(self, item: ItemSpec, view: Callable[[DatasetFacts], bool], facts: Facts,
                 byid: dict[str, DatasetFacts], o: dict[str, Any]) -> None:
        super().__init__(item, view)
        self.byid, self.o = byid, o
        self.need = int(item.params.get("min_count", 1))
        self.utilization = facts.utilization
        self.used = {u.dataset for u in facts.utilization}
        self.ok = sum(1 for ds in self.used if self.accepted(byid[ds]))

    def accepted(self, d: DatasetFacts) -> bool:
        return self.view(d) and use_accepted(d, self.o)

    def after(self, facts: Facts, pairs: Sequence[Pair], o: dict[str, Any]) -> Score:
        if facts.utilization is self.utilization:
            ok = self.ok + sum(int(self.accepted(new)) - int(self.accepted(old)) for old, new, _ in pairs if old.id in self.used)
        else:  # the fix declares a use: count the (short) new list
            changed = {new.id: new for _, new, _ in pairs}
            ok = sum(1 for ds in {u.dataset for u in facts.utilization} if self.accepted(changed.get(ds) or self.byid[ds]))
        if ok >= self.need:
            return Fraction(self.item.points), True
        return Fraction(0), False


Groups = list[tuple[DatasetFacts, int]]  # one dataset of each group that every count sees alike, and its size


def alike(datasets: Sequence[DatasetFacts]) -> Groups:
    """The datasets in groups that every item's counts see alike: equal scoring signatures and
    equal IMD and newly-selected declarations (the dataset-list gate counts those). A catalogue
    of 100,000 datasets is a few dozen groups, so each count is taken over those, weighted."""
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for d in datasets:
        key = (d.signature(), d.imd, d.new)
        group = groups.get(key)
        if group is None:
            groups[key] = [d, 1]
        else:
            group[1] += 1
    return [(d, n) for d, n in groups.values()]


def _all(d: DatasetFacts) -> bool:
    return True


def _complete(d: DatasetFacts) -> bool:
    return d.complete


def _counts(item: ItemSpec, facts: Facts, o: dict[str, Any], byid: dict[str, DatasetFacts], groups: Groups) -> _Item:
    lenient = o.get("every_dataset_gate", True) is False
    req = item.params.get("require")
    sees_all = item.kind == "gate" and req == "all_complete"  # as ``engine._sees_all``
    view = _complete if lenient and not sees_all else _all
    if item.kind == "gate":
        if req == "all_complete":
            if param(item, "every_dataset", o, True) is False:
                need = max(1, int(o.get("min_datasets") or 0))
                return _GateCount(item, view, groups, lambda d: not d.complete, lambda n, bad: n - bad >= need)
            return _GateCount(item, view, groups, lambda d: not d.complete, lambda n, bad: n > 0 and bad == 0)
        if req == "open_have_resources":
            return _GateCount(item, view, groups, lambda d: d.is_open and not d.has_resources, lambda n, bad: bad == 0)
        if req == "dataset_list":
            return _DatasetList(item, view, groups)
        raise ValueError(f"gate {item.key}: unknown require {req!r}")
    if item.kind == "proportion":
        return _Hits(item, view, groups, o, proportion_points, use_den=True)
    if item.kind == "share":
        return _Hits(item, view, groups, o, share_points, use_den=False)
    if item.kind == "open_format":
        return _OpenFormat(item, view, facts, groups, o)
    if item.kind == "declared":
        return _Declared(item, view, facts, byid, o)
    if item.kind == "binary":
        return _Direct(item, view, binary)
    raise ValueError(f"{item.key}: kind {item.kind!r} has no what-if counts")  # a new kind must add its own


class Deltas:
    """What-if scores of fixes against one base catalogue, without copying it."""

    def __init__(self, rubric: Rubric, facts: Facts, opts: dict[str, Any], base: "Evaluation") -> None:
        self.rubric, self.facts, self.opts = rubric, facts, opts
        self.byid = facts.by_id()
        self.used = {u.dataset for u in facts.utilization}
        groups = alike(facts.datasets)
        self.items = {item.key: _counts(item, facts, opts, self.byid, groups) for item in rubric.items()}

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
