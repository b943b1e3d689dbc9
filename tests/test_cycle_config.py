"""The cycle configuration refuses a mistake before anything is scored, naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from danhgia.cycle_config import ConfigError, load_cycle_config
from tests.conftest import CYCLE_FILE


def write_variant(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(CYCLE_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "2025.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_shipped_configuration_loads() -> None:
    config = load_cycle_config(CYCLE_FILE)
    assert config.cycle == 2025
    for fw in config.frameworks.values():
        assert sum(c.points for c in fw.criteria) == 100


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (
            lambda d: d["frameworks"]["cap_pho"]["criteria"][0].update(points=6),
            "frameworks.cap_pho",
            "phải bằng 100",
        ),
        (lambda d: d["thresholds"].update(HTTNV=95), "(gốc)", "giảm dần"),
        (lambda d: d["groups"][0].update(framework="khong_co"), "(gốc)", "khong_co"),
        (
            lambda d: d["frameworks"]["cap_pho"]["criteria"][7].update(fallback="KQ9"),
            "frameworks.cap_pho",
            "KQ9",
        ),
        (lambda d: d["excellent_quota"].update(rate=1.5), "excellent_quota.rate", "1"),
        (lambda d: d.update(unknown_rule=1), "unknown_rule", "Extra"),
    ],
    ids=[
        "weights",
        "thresholds-order",
        "unknown-framework",
        "unknown-criterion",
        "rate",
        "unknown-key",
    ],
)
def test_configuration_errors_name_file_key_and_problem(tmp_path, change, key, words) -> None:
    path = write_variant(tmp_path, change)
    with pytest.raises(ConfigError) as exc:
        load_cycle_config(path)
    message = str(exc.value)
    assert str(path) in message
    assert f"'{key}" in message
    assert words in message


def test_missing_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(ConfigError, match="Không tìm thấy"):
        load_cycle_config(tmp_path / "2031.yaml")


def test_unknown_kind_has_no_deadline() -> None:
    config = load_cycle_config(CYCLE_FILE)
    assert config.deadlines.due("units", "CN") == config.deadlines.reference
    assert str(config.deadlines.due("quarterly_progress", "Q2")) == "2025-07-10"
    with pytest.raises(KeyError):
        config.deadlines.due("self_assesment", "CN")
