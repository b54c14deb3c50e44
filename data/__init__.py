"""Bundled geodata of the tracker (rebuilt by scripts/build_data.py; see PROVENANCE.md)."""
