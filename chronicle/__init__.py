"""Chronicle: a static site generator for sourced, interactive event timelines.

The build is a pipeline of stages, one module each (see ``build.py``):
``config`` → ``load`` → ``validate`` (→ ``model``) → ``render`` → ``write``.
"""

__version__ = "0.1.0"
