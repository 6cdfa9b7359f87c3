"""The live preview: ``build.py serve``, rebuilding only what an edit touches."""
