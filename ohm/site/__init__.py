"""The site, engine-neutral: the catalogue's pages, exports and their metadata.

Nothing here imports MkDocs: the MkDocs plugin and the Zensical writer are adapters over it.
"""
