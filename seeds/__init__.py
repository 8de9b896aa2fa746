"""Demo and benchmark tooling: the demo dossiers, the bulk generator and their management commands."""
