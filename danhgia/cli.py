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
    typer.echo(f"  Báo cáo tổng hợp: {result['summary']}")
    typer.echo(f"  Danh mục hồ sơ: {out / 'danh-muc-ho-so.csv'}")
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
