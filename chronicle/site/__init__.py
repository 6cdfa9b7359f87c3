"""Site out: the checked timeline made into pages, data files and a search index, written to ``output/``."""
