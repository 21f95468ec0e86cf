"""Layout: the document as one format-neutral tree of blocks, tables and forms."""
