"""Union-find (disjoint sets) over any hashable items, the smallest item as each set's root."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable


class UnionFind:
    def __init__(self):
        self.parent: dict[Hashable, Hashable] = {}

    def add(self, x: Hashable) -> None:
        self.parent.setdefault(x, x)

    def find(self, x: Hashable) -> Hashable:
        self.add(x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Hashable, b: Hashable) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list]:
        """Every set, each sorted, in sorted order."""
        members = defaultdict(list)
        for x in self.parent:
            members[self.find(x)].append(x)
        return sorted(sorted(group) for group in members.values())
