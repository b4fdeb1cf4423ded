"""newstrace: who met whom, when, where, who says so, and who copied whom."""

__version__ = "0.1.0"
