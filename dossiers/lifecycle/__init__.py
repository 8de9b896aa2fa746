"""The dossier's life: transition table, deadline rules, codes, validation, events, sweeps, services."""
