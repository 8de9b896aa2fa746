"""What anyone may see without signing in: tracking a dossier by code and PIN, rating the service."""
