"""The seven forms of Circular 03/2025/TT-VPCP and the result document: template contexts and rendering."""
