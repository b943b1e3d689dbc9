"""The command line of the board's staff: ``danhgia run``, ``danhgia sample``, ``danhgia collect``.

Messages are in Vietnamese: the people who run these commands are the board's officials.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from danhgia.prefect_env import apply_defaults

apply_defaults()

from danhgia.cycle_config import ConfigError, load_cycle_config  # noqa: E402
from danhgia.settings import get_settings  # noqa: E402

app = typer.Typer(
    help="Đánh giá, xếp loại người đứng đầu hằng năm: thu nhận hồ sơ, kiểm tra, chấm điểm, "
    "xếp loại và lập hồ sơ PDF.",
    no_args_is_help=True,
    add_completion=False,
)

CycleOption = Annotated[int | None, typer.Option("--cycle", help="Năm đánh giá (mặc định: 2025).")]


def _config(cycle: int | None):
    settings = get_settings()
    try:
        return settings, load_cycle_config(settings.cycle_config_path(cycle))
    except ConfigError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc


def _inbox_has_files(inbox: Path) -> bool:
    return inbox.exists() and any(p.is_file() for p in inbox.rglob("*"))


@app.command()
def sample(
    cycle: CycleOption = None,
    size: Annotated[str, typer.Option(help="Cỡ tỉnh mẫu: sample, small hoặc M.")] = "sample",
    force: Annotated[bool, typer.Option(help="Tạo lại dù hộp thư đến đã có tệp.")] = False,
) -> None:
    """Tạo tỉnh mẫu (dữ liệu giả lập) và đặt các tệp của đơn vị vào hộp thư đến."""
    from danhgia.sample.generator import generate_province

    settings, config = _config(cycle)
    if _inbox_has_files(settings.inbox_dir) and not force:
        typer.echo(f"Hộp thư đến đã có tệp ({settings.inbox_dir}); không tạo lại.")
        return
    manifest = generate_province(settings.data_dir, config, size=size, seed=settings.sample_seed)
    typer.echo(f"Đã tạo tỉnh mẫu: {len(manifest['files'])} tệp trong {settings.inbox_dir}")


@app.command()
def collect(cycle: CycleOption = None) -> None:
    """Thu nhận các tệp mới trong hộp thư đến (kiểm tra, nạp hoặc cách ly)."""
    from flows.collect import collect_submissions

    settings, config = _config(cycle)
    rows = collect_submissions(config.cycle)
    loaded = sum(r["status"] == "loaded" for r in rows)
    typer.echo(f"Tệp mới: {len(rows)}; đã nạp: {loaded}; bị từ chối: {len(rows) - loaded}.")
    if len(rows) > loaded:
        typer.echo(f"Báo cáo lỗi của các tệp bị từ chối: {settings.quarantine_dir}")


@app.command()
def run(cycle: CycleOption = None) -> None:
    """Chạy trọn chu kỳ đánh giá năm trên tỉnh mẫu: thu nhận, chấm điểm, xếp loại, lập hồ sơ."""
    from danhgia.sample.generator import generate_province
    from flows.annual import annual_cycle

    settings, config = _config(cycle)
    if not _inbox_has_files(settings.inbox_dir):
        typer.echo("Hộp thư đến trống: tạo tỉnh mẫu để chạy thử ...")
        generate_province(settings.data_dir, config, size="sample", seed=settings.sample_seed)
    result = annual_cycle(config.cycle)
    out = settings.dossier_dir(config.cycle)
    intake = result["intake"]
    refused = sum(r["status"] == "quarantined" for r in intake)
    d = result["dossiers"]
    typer.echo("")
    typer.echo(f"Hoàn thành chu kỳ đánh giá năm {config.cycle}.")
    typer.echo(f"  Tệp mới thu nhận: {len(intake)} (bị từ chối: {refused})")
    typer.echo(
        f"  Hồ sơ cá nhân: {d['dossiers']} (dựng mới {d['rendered']}, "
        f"giữ nguyên {d['kept']}) trong {out / 'ho-so-ca-nhan'}"
    )
    u = result["unit_dossiers"]
    typer.echo(
        f"  Hồ sơ tập thể: {u['dossiers']} (dựng mới {u['rendered']}, "
        f"giữ nguyên {u['kept']}) trong {out / 'ho-so-tap-the'}"
    )
    typer.echo(f"  Báo cáo tổng hợp: {result['summary']}")
    typer.echo(f"  Danh mục hồ sơ: {out / 'danh-muc-ho-so.html'} (và .csv)")
    typer.echo("  Các hồ sơ là bản dự thảo cho đến khi Ban Thường vụ phê duyệt.")
    typer.echo(f"  Tệp bị từ chối và báo cáo lỗi: {settings.quarantine_dir}")
    typer.echo(f"  Kho dữ liệu: {settings.warehouse_path}")


@app.command()
def explain(
    cadre: Annotated[str, typer.Argument(help="Mã cán bộ, ví dụ CB0016.")],
    cycle: CycleOption = None,
) -> None:
    """In toàn bộ quá trình xếp loại của một cán bộ: điểm từng tiêu chí, dữ kiện, từng bước."""
    from danhgia.explain import UnknownCadre
    from danhgia.explain import explain as explain_text
    from danhgia.warehouse import open_warehouse

    settings, config = _config(cycle)
    with open_warehouse(settings.warehouse_path) as con:
        try:
            typer.echo(explain_text(con, config, cadre), nl=False)
        except UnknownCadre:
            typer.secho(
                f"Không có cán bộ mã '{cadre}' trong kết quả đánh giá năm {config.cycle}.",
                fg=typer.colors.RED,
                err=True,
            )
            raise typer.Exit(1) from None


@app.command()
def deployments(
    cycle: CycleOption = None,
    check: Annotated[
        bool, typer.Option(help="Chỉ kiểm tra prefect.yaml có khớp cấu hình.")
    ] = False,
) -> None:
    """Sinh lại prefect.yaml từ lịch và hạn nộp trong cấu hình kỳ đánh giá."""
    from danhgia.schedules import prefect_yaml
    from danhgia.settings import PROJECT_ROOT

    _, config = _config(cycle)
    path = PROJECT_ROOT / "prefect.yaml"
    text = prefect_yaml(config)
    if check:
        if path.read_text(encoding="utf-8") != text:
            typer.secho(
                "prefect.yaml không khớp cấu hình; chạy: danhgia deployments",
                fg=typer.colors.RED,
                err=True,
            )
            raise typer.Exit(1)
        typer.echo("prefect.yaml khớp cấu hình kỳ đánh giá.")
        return
    path.write_text(text, encoding="utf-8")
    typer.echo(f"Đã ghi {path}")


@app.command()
def serve(
    cycle: CycleOption = None,
    port: Annotated[int, typer.Option(help="Cổng của máy chủ Prefect cục bộ.")] = 4200,
) -> None:
    """Chạy theo lịch mọi tác vụ của kỳ đánh giá trong một tiến trình (Ctrl+C để dừng)."""
    from danhgia.serving import serve_cycle

    _, config = _config(cycle)
    serve_cycle(config, port, echo=typer.echo)


@app.command()
def templates(cycle: CycleOption = None) -> None:
    """Tạo biểu mẫu Excel điền sẵn cho từng đơn vị, vào outbox/<mã đơn vị>/mau/."""
    from danhgia.intake.templates import NoReferenceData, write_templates
    from danhgia.warehouse import open_warehouse

    settings, config = _config(cycle)
    missing = (
        f"Kho dữ liệu chưa có dữ liệu tham chiếu (danh mục đơn vị, cán bộ, chức vụ) của năm "
        f"{config.cycle}: chưa thể tạo biểu mẫu. Hãy đặt các tệp danh mục của Ban Tổ chức vào "
        f"hộp thư đến ({settings.inbox_dir}/{config.province.board_unit_code}/) rồi chạy "
        "'danhgia collect'."
    )
    if not settings.warehouse_path.exists():
        typer.secho(missing, fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    with open_warehouse(settings.warehouse_path) as con:
        try:
            written = write_templates(con, config, settings.outbox_dir)
        except NoReferenceData:
            typer.secho(missing, fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from None
    typer.echo(
        f"Đã tạo {len(written.files)} biểu mẫu cho {len(written.units)} đơn vị trong "
        f"{settings.outbox_dir}/<mã đơn vị>/mau/."
    )
    for s in written.skipped:
        typer.echo(f"  Chưa tạo biểu mẫu {s.kind} ({s.scope}) cho {s.unit_code}: {s.reason}.")


review_app = typer.Typer(
    help="Hàng đợi xem xét của Ban: tệp có cảnh báo chờ chấp nhận hoặc bác bỏ.",
    no_args_is_help=True,
)
app.add_typer(review_app, name="review")
FileId = Annotated[str, typer.Argument(help="Mã tệp: 12 ký tự đầu của mã SHA-256.")]
ByOption = Annotated[
    str | None, typer.Option("--by", help="Người quyết định (mặc định: tài khoản đang dùng).")
]


def _review_warehouse():
    from danhgia.warehouse import open_warehouse

    settings = get_settings()
    if not settings.warehouse_path.exists():
        typer.secho(
            f"Chưa có kho dữ liệu ({settings.warehouse_path}); hãy chạy 'danhgia collect' trước.",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(1)
    return open_warehouse(settings.warehouse_path)


@review_app.command("list")
def review_list(
    cycle: CycleOption = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Mọi tệp của năm, kèm trạng thái.")
    ] = False,
) -> None:
    """Liệt kê các tệp chờ xem xét (có cảnh báo, chưa có quyết định)."""
    from danhgia.review import format_queue, queue

    _, config = _config(cycle)
    with _review_warehouse() as con:
        items = queue(con, config.cycle, everything=everything)
    typer.echo(format_queue(items, everything=everything), nl=False)


@review_app.command("show")
def review_show(file_id: FileId) -> None:
    """Xem một tệp: kết quả kiểm tra và mọi quyết định đã ghi."""
    from danhgia.review import ReviewError, detail, format_detail

    with _review_warehouse() as con:
        try:
            typer.echo(format_detail(detail(con, file_id)), nl=False)
        except ReviewError as exc:
            typer.secho(str(exc), fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from None


def _decide(file_id: str, decision: str, note: str, by: str | None) -> None:
    from danhgia.review import (
        DECISION_VI,
        ReviewError,
        current_version,
        decide,
        describe_slot,
        detail,
    )
    from danhgia.review_notice import send_decision_notice

    settings = get_settings()
    with _review_warehouse() as con:
        try:
            made = decide(con, file_id, decision, note, by)
        except ReviewError as exc:
            typer.secho(str(exc), fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from None
        item = detail(con, made.file_hash).item
        now = current_version(con, item)
        try:  # a file of no known cycle: the notice then names no deadline
            config = (
                load_cycle_config(settings.cycle_config_path(item.cycle)) if item.cycle else None
            )
        except ConfigError:
            config = None
        notice = send_decision_notice(con, made, settings.outbox_dir, config)
    typer.echo(
        f"Đã ghi quyết định {made.seq} cho tệp {item.id}: {DECISION_VI[decision]} "
        f"({made.decided_by}, {made.decided_at:%d/%m/%Y %H:%M})."
    )
    which = describe_slot(item)
    if now is None:
        typer.echo(f"Hiện không có bản nào được dùng cho {which}.")
    else:
        typer.echo(f"Bản đang được dùng cho {which}: {now.id} ({now.file_name}).")
    if notice is None:
        typer.echo("Tệp nằm ngoài thư mục của các đơn vị: không có đơn vị nào để thông báo.")
    else:
        typer.echo(f"Đã gửi thông báo quyết định cho đơn vị {item.unit_code}: {notice}")


@review_app.command("accept")
def review_accept(
    file_id: FileId,
    note: Annotated[str, typer.Option("--note", help="Ghi chú của Ban.")] = "",
    by: ByOption = None,
) -> None:
    """Chấp nhận một tệp đã nạp (đã xem xét các cảnh báo)."""
    _decide(file_id, "accept", note, by)


@review_app.command("reject")
def review_reject(
    file_id: FileId,
    note: Annotated[str, typer.Option("--note", help="Lý do bác bỏ (bắt buộc).")] = "",
    by: ByOption = None,
) -> None:
    """Bác bỏ một tệp: bản này thôi được dùng (bản hợp lệ trước đó, nếu có, được dùng lại)."""
    _decide(file_id, "reject", note, by)


@app.command()
def approve(
    cycle: CycleOption = None,
    send_back: Annotated[
        bool, typer.Option("--send-back", help="Trả lại, chưa phê duyệt.")
    ] = False,
    notes: Annotated[str, typer.Option(help="Ý kiến của Ban Thường vụ.")] = "",
    by: Annotated[str, typer.Option(help="Người quyết định.")] = "Ban Thường vụ",
) -> None:
    """Trả lời bước chờ phê duyệt của chu kỳ đánh giá năm: phê duyệt hoặc trả lại."""
    from danhgia.board_api import NoPausedRun, answer, paused_annual_run

    _, config = _config(cycle)
    if send_back and not notes.strip():
        typer.secho("Trả lại phải ghi ý kiến (--notes).", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    try:
        run_id = paused_annual_run(config.cycle)
    except NoPausedRun:
        typer.secho(
            f"Không có chu kỳ đánh giá năm {config.cycle} nào đang chờ phê duyệt.",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(1) from None
    answer(run_id, "send_back" if send_back else "approve", notes, by)
    typer.echo(
        "Đã trả lại; kỳ đánh giá vẫn mở."
        if send_back
        else "Đã phê duyệt; hồ sơ chính thức sẽ được lập và kỳ đánh giá được khóa."
    )


@app.command()
def reopen(
    cycle: CycleOption = None,
    reason: Annotated[str, typer.Option(help="Lý do mở lại (bắt buộc).")] = "",
    by: Annotated[str, typer.Option(help="Người quyết định.")] = "Ban Thường vụ",
) -> None:
    """Mở lại kỳ đánh giá đã khóa để tiếp nhận tệp; quyết định được ghi lại."""
    from danhgia.approval import is_locked, record_decision
    from danhgia.warehouse import open_warehouse

    settings, config = _config(cycle)
    if not reason.strip():
        typer.secho("Phải ghi lý do mở lại (--reason).", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    with open_warehouse(settings.warehouse_path) as con:
        if not is_locked(con, config.cycle):
            typer.echo(f"Kỳ đánh giá năm {config.cycle} đang mở; không cần mở lại.")
            return
        record_decision(con, config.cycle, "reopen", notes=reason, decided_by=by)
    typer.echo(f"Đã mở lại kỳ đánh giá năm {config.cycle}.")


if __name__ == "__main__":
    app()
