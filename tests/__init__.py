"""Test suite of the tracker (run with pytest from the repository root)."""
