"""Printed forms 01–06 and the result document: template contexts and WeasyPrint rendering."""
