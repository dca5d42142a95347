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
