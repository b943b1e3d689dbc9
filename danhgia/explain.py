"""The whole derivation of one cadre's level, as the board's staff would read it aloud:
the criteria and their points, the facts the rules read, then every step in order."""

from __future__ import annotations

import duckdb

from danhgia.cycle_config import CycleConfig
from danhgia.dossiers import STEP_LABELS, records
from danhgia.scoring import score_params
from danhgia.vnformat import format_number, format_percent, level_name
from danhgia.warehouse import query_df

SOURCE_LABELS = {
    "council": "hội đồng tư vấn chấm",
    "tasks": "kết quả nhiệm vụ",
    "unit_result": "kết quả của tập thể",
    "commune_forms": "phiếu nhận xét của xã",
}


class UnknownCadre(LookupError):
    """No evaluated cadre with that code in the cycle's warehouse."""


def explain(con: duckdb.DuckDBPyConnection, config: CycleConfig, cadre_code: str) -> str:
    params = {"cycle": config.cycle, "cadre": cadre_code}
    head = records(query_df(con, "reports/explain_cadre", params))
    if not head:
        raise UnknownCadre(cadre_code)
    h = head[0]
    facts = query_df(con, "marts/cadre_facts", score_params(config))
    f = records(facts[facts["cadre_code"] == cadre_code])[0]
    criteria = [
        c
        for c in records(query_df(con, "reports/cadre_criteria", params))
        if c["cadre_code"] == cadre_code
    ]
    steps = [
        s
        for s in records(query_df(con, "reports/level_explanations", params))
        if s["cadre_code"] == cadre_code
    ]
    lines = [
        f"{h['full_name']} ({h['cadre_code']}) — {h['position_title']}, {h['unit_name']}",
        f"Nhóm: {h['group_name']}; khung tiêu chí: {h['framework']}; năm {config.cycle}",
        "",
        "1. Điểm theo tiêu chí",
    ]
    for c in criteria:
        extra = ""
        if c["source"] == "council" and c["n_members"]:
            extra = (
                f" (TB {format_number(c['mean'], 2)}, thấp nhất {format_number(c['min'], 2)},"
                f" cao nhất {format_number(c['max'], 2)}, {c['n_members']} thành viên"
                f"{', chênh lệch lớn' if c['spread_flag'] else ''})"
            )
        lines.append(
            f"   {c['code']} {c['name']}: {format_number(c['score'], 2)}/"
            f"{format_number(c['points'], 2)} điểm — {SOURCE_LABELS[c['source']]}{extra}"
        )
    lines += [
        f"   Tổng: {format_number(h['total'], 2)} điểm",
        "",
        "2. Các dữ kiện quy tắc sử dụng",
        f"   Nhiệm vụ: {f['tasks_total']}; đúng hạn: {f['tasks_on_time']}; "
        f"vượt mức: {f['tasks_exceeded']}",
        f"   Kỷ luật trong năm: {f['discipline_measure'] or 'không'}",
        f"   Người đứng đầu: {'có' if f['is_head'] else 'không'}"
        + (f"; tập thể xếp loại {level_name(f['unit_level'])}" if f["unit_level"] else ""),
        "   Tỷ lệ phiếu tín nhiệm thấp: "
        + (
            format_percent(f["low_confidence_share"])
            if f["low_confidence_share"] is not None
            else "không có"
        ),
        f"   Thời gian công tác: {format_number(f['months_worked'], 2)} tháng; nghỉ "
        f"{format_number(f['months_off'], 1)} tháng",
        "",
        "3. Các bước xếp loại",
    ]
    for i, s in enumerate(steps, start=1):
        lines.append(
            f"   {i}. {STEP_LABELS.get(s['step'], s['step'])}: {level_name(s['from_level'])}"
            f" → {level_name(s['to_level'])}. {s['reason']} ({s['rule_ref']})"
            if s["from_level"] is not None
            else f"   {i}. {STEP_LABELS.get(s['step'], s['step'])}: {s['reason']} ({s['rule_ref']})"
        )
    lines += ["", f"Kết quả: {level_name(h['final_level'])}"]
    return "\n".join(lines) + "\n"
