"""The report a unit receives for a refused file: in Vietnamese, naming the file, sheet, row,
column, value and rule of every problem, with the original file kept beside it."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

from danhgia.formula_safety import neutralise_cell
from danhgia.intake.collect import Outcome
from danhgia.kinds import KINDS

SEVERITY_VI = {"error": "Lỗi", "warning": "Cảnh báo"}
CSV_COLUMNS = ["Mức độ", "Quy tắc", "Trang", "Dòng", "Cột", "Giá trị", "Nội dung"]


def report_text(outcome: Outcome, cycle: int) -> str:
    kind = KINDS[outcome.kind].title if outcome.kind in KINDS else "không xác định"
    lines = [
        "BÁO CÁO KIỂM TRA TỆP — TỆP BỊ TỪ CHỐI",
        "",
        f"Tệp: {outcome.file_name}",
        f"Đơn vị gửi: {outcome.sender or '(không rõ)'}",
        f"Loại biểu mẫu: {kind}",
        f"Kỳ đánh giá: năm {cycle}" + (f", kỳ {outcome.scope}" if outcome.scope else ""),
        f"Mã tệp (SHA-256): {outcome.file_hash}",
        f"Kết quả: {outcome.errors} lỗi, {outcome.warnings} cảnh báo. Tệp chưa được tiếp nhận; "
        "đơn vị sửa các lỗi dưới đây rồi gửi lại toàn bộ tệp.",
        "",
    ]
    for i, f in enumerate(outcome.findings, start=1):
        where = ", ".join(
            part
            for part in (
                f"trang '{f.sheet}'" if f.sheet else "",
                f"dòng {f.row}" if f.row is not None else "",
                f"cột '{f.column}'" if f.column else "",
                f"giá trị '{f.value}'" if f.value not in (None, "") else "",
            )
            if part
        )
        lines.append(
            f"{i}. [{SEVERITY_VI[f.severity]}] {where or 'toàn tệp'}: {f.message} "
            f"(quy tắc: {f.rule})"
        )
    return "\n".join(lines) + "\n"


def report_csv(outcome: Outcome) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for f in outcome.findings:
        writer.writerow(
            [
                neutralise_cell(v)
                for v in (
                    SEVERITY_VI[f.severity],
                    f.rule,
                    f.sheet,
                    f.row,
                    f.column,
                    f.value,
                    f.message,
                )
            ]
        )
    return buf.getvalue()


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8-sig" if path.suffix == ".csv" else "utf-8")
    os.replace(tmp, path)


def quarantine(outcome: Outcome, original: Path, quarantine_dir: Path, cycle: int) -> Path:
    """Put the refused file and its report in the sender's quarantine folder; idempotent."""
    folder = quarantine_dir / (outcome.sender or "_khong_ro") / f"{outcome.file_hash[:12]}"
    folder.mkdir(parents=True, exist_ok=True)
    kept = folder / Path(outcome.file_name).name
    if not kept.exists():
        shutil.copyfile(original, kept)
    _write(folder / "bao-cao-loi.txt", report_text(outcome, cycle))
    _write(folder / "bao-cao-loi.csv", report_csv(outcome))
    return folder
