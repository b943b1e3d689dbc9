"""A deterministic, fictional province ("Sơn Hà") that sends every submission of a cycle,
with a few deliberate faults, so the pipeline can be developed and demonstrated on
realistic input without real personnel data."""

from danhgia.sample.generator import SIZES, ProvinceSize, generate_province

__all__ = ["SIZES", "ProvinceSize", "generate_province"]
