"""Prefect flows: they only sequence tasks and sub-flows."""

from danhgia.prefect_env import apply_defaults

apply_defaults()
