"""Tools that build and check the Open Health Models catalogue."""
