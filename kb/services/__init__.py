"""Use cases called by the command line and the web layer."""
