"""The dossier list's filters: defined once in dossiers.selectors.filters, shared with saved filters."""

from dossiers.selectors.filters import DossierFilter

__all__ = ["DossierFilter"]
