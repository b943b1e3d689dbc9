"""Annual evaluation of unit heads: the domain logic, independent of orchestration."""
