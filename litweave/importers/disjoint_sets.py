"""Disjoint sets (union-find) over record indexes: which records are one work.

Pure. Both the sure merge of records (`identity`) and the grouping of possible duplicates
(`duplicates`) join records in chains; one structure with path halving keeps each `find` near
constant, so grouping stays linear in the number of records.
"""

from __future__ import annotations


class DisjointSets:
    """Sets of the indexes 0..n-1, each named by its root."""

    __slots__ = ("parent",)

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        """The root of i's set (path halving on the way)."""
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, root: int, into: int) -> None:
        """Put the set whose root is `root` under the root `into`."""
        self.parent[root] = into
