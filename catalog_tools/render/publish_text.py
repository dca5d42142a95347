"""Terminal text for a publish result: one line per dataset, then the counts."""
from __future__ import annotations

from typing import Any

from . import register

_WORDS = {
    "create": ("create", "สร้างใหม่", "+"), "update": ("update", "ปรับปรุง", "~"),
    "unchanged": ("unchanged", "ไม่เปลี่ยนแปลง", "="), "skip": ("skipped", "ข้าม", "-"), "fail": ("failed", "ไม่สำเร็จ", "✗"),
}


def _res(r: dict[str, Any], th: bool) -> str:
    if not r:
        return ""
    parts = []
    for key, en, thw in (("created", "new", "ใหม่"), ("updated", "updated", "ปรับปรุง"), ("skipped", "skipped", "ข้าม")):
        if r.get(key):
            parts.append(f"{r[key]} {thw if th else en}")
    if not parts:
        return ""
    return (" · ทรัพยากร " if th else " · resources: ") + ", ".join(parts)


@register("text", kinds=("publish",), description="one line per dataset and a summary")
def render_publish(result: Any, *, lang: str = "en", **_: Any) -> str:
    th = lang == "th"
    out = []
    if result.dry_run:
        out.append("แผนการส่ง (--dry-run: ยังไม่ได้ส่งข้อมูลใดๆ)" if th else "Plan (--dry-run: nothing was sent)")
    for o in result.outcomes:
        en, thw, mark = _WORDS[o.action]
        line = f"{mark} {(thw if th else en):<14} {o.id or '(no id)'} → {o.name or '-'}"
        if o.changed:
            line += (" · ฟิลด์ " if th else " · fields: ") + ", ".join(o.changed)
        line += _res(o.resources, th)
        out.append(line)
        reason = o.reason_th if th and o.reason_th else o.reason
        if o.action in ("skip", "fail") and reason:
            out.append(f"      {reason}")
        for f in o.findings[:8]:
            out.append(f"      [{f.item or '-'}] {f.message_th if th else f.message}")
        for r in (o.resources or {}).get("skipped_detail", []):
            out.append(f"      {'ข้ามทรัพยากร' if th else 'resource skipped'} {r['index'] + 1} {r.get('name') or ''}: "
                       f"{r['reason_th'] if th else r['reason']}")
    d = result.to_dict()["summary"]
    out.append("")
    if th:
        out.append(f"สร้างใหม่ {d['created']} · ปรับปรุง {d['updated']} · ไม่เปลี่ยนแปลง {d['unchanged']} · "
                   f"ข้าม {d['skipped']} · ไม่สำเร็จ {d['failed']}")
    else:
        out.append(f"{d['created']} created · {d['updated']} updated · {d['unchanged']} unchanged · "
                   f"{d['skipped']} skipped · {d['failed']} failed")
    if result.interrupted:
        out.append("ถูกขัดจังหวะ: เรียกคำสั่งอีกครั้งเพื่อทำต่อ" if th else "Interrupted: run again to finish.")
    if result.aborted:
        out.append(("หยุดก่อนเสร็จ: " if th else "Stopped early: ") + result.aborted)
    return "\n".join(out) + "\n"
