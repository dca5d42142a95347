"""Text output lists the first fixes and counts the rest; scoring can keep only those first fixes.

``score_report(..., fix_limit=N)`` must give exactly the first N fixes of the full ranking, the
true number of fixes, and the same text — it only saves building the other 200,000 on a large
catalogue."""
from __future__ import annotations

from catalog_tools.render.score_text import FIXES_SHOWN, render_score_text
from catalog_tools.scoring import score_report
from tests.scoring_data import build_report, datasets, resource_row


def _report():
    rows = datasets(40, incomplete=25)  # 25 datasets without a contact e-mail: a fix each, and more
    res = [resource_row(r["id"], f"{r['title']} (CSV)", "CSV" if n % 3 else "PDF", f"https://data.tourism.go.th/{n}.csv")
           for n, r in enumerate(rows) if n % 4]
    return build_report(rows, res)


def test_the_first_fixes_and_their_count_are_those_of_the_full_ranking() -> None:
    report = _report()
    for fy in (2565, 2566, 2567):
        full = score_report(report, fy=fy, catalog_url="https://catalog.tourism.go.th")
        assert len(full.fix_first) > FIXES_SHOWN, "enough fixes to be cut"
        cut = score_report(report, fy=fy, catalog_url="https://catalog.tourism.go.th", fix_limit=FIXES_SHOWN)
        assert [f.to_dict() for f in cut.fix_first] == [f.to_dict() for f in full.fix_first[:FIXES_SHOWN]]
        assert cut.total_fixes == full.total_fixes == len(full.fix_first)
        assert cut.to_dict(lost_by=False, max_fixes=FIXES_SHOWN) == full.to_dict(lost_by=False, max_fixes=FIXES_SHOWN)
        for lang in ("th", "en"):
            text = render_score_text(cut, lang=lang)
            assert text == render_score_text(full, lang=lang)
            assert str(len(full.fix_first) - FIXES_SHOWN) in text
        # a cut list says so in the document; the full one keeps its keys as they were
        assert cut.to_dict()["fix_count"] == len(full.fix_first) and "fix_count" not in full.to_dict()


def test_every_cut_is_the_head_of_the_full_ranking() -> None:
    """Any number of fixes kept — none, a few, across ranks of equal gain, more than there are — is
    the head of the full ranking (the same fix offered by two items is listed once in both)."""
    report = _report()
    for fy in (2565, 2566, 2567):
        full = score_report(report, fy=fy, catalog_url="https://catalog.tourism.go.th")
        whole = [f.to_dict() for f in full.fix_first]
        offered = {(f.dataset, f.fix) for f in full.fix_first}
        assert len(offered) == len(whole)  # listed once each
        for limit in range(len(whole) + 3):
            cut = score_report(report, fy=fy, catalog_url="https://catalog.tourism.go.th", fix_limit=limit)
            assert [f.to_dict() for f in cut.fix_first] == whole[:limit], (fy, limit)
            assert cut.total_fixes == len(whole)


def test_the_first_fixes_of_any_candidates_are_the_head_of_their_full_ranking() -> None:
    """``_first_fixes`` against ``_all_fixes`` on random candidates: a few ranks holding many
    candidates, items and datasets in every order, the same fix offered by several items within
    one rank and across ranks, every limit."""
    import random
    from fractions import Fraction

    from catalog_tools.scoring.engine import _all_fixes, _first_fixes
    from catalog_tools.scoring.outcome import dataset_fix

    rnd = random.Random(2566)
    for case in range(300):
        n_slots = rnd.randint(1, 6)
        scored = [(Fraction(rnd.randint(0, 3), 2), Fraction(rnd.randint(0, 2)), True) for _ in range(n_slots)]
        by_gain = sorted(range(n_slots), key=lambda n: scored[n][:2], reverse=True)
        rank = [0] * n_slots
        for pos, n in enumerate(by_gain):
            rank[n] = rank[by_gain[pos - 1]] + (scored[n][:2] != scored[by_gain[pos - 1]][:2]) if pos else 0
        found = []
        for _ in range(rnd.randint(0, 60)):
            ds = f"DataSet_{rnd.randint(10, 12)}_{rnd.randint(1, 9):02d}"
            fix = rnd.choice(["กรอกอีเมลผู้ติดต่อ", "complete the 14 items", "เพิ่มทรัพยากรข้อมูล CSV"])
            cand = dataset_fix(f"item{rnd.randint(0, 3)}", ds, fix, fix, {ds: {"complete": True}}, (ds,))
            found.append((rnd.randrange(n_slots), rnd.randint(0, 3), ds, cand.item, cand))
        whole, count = _all_fixes(list(found), rank, scored)
        for limit in range(len(whole) + 2):
            cut, cut_count = _first_fixes(list(found), rank, scored, limit)
            assert cut == whole[:limit], (case, limit)
            assert cut_count == count == len(whole)
