"""Prefect tasks: thin wrappers that open the warehouse, call the domain logic, log and
publish artifacts. Each task does a stage's worth of work, never one row or one person."""
