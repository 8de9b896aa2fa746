"""Documents of a dossier: uploads, the printed forms, registers, the electronic result and its signature."""
