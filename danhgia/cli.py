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


if __name__ == "__main__":
    app()
