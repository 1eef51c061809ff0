"""Investigation files (dossiers): several alerts about one employee, investigated together."""
