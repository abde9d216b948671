"""Union-find whose result does not depend on the order edges are added in."""

from __future__ import annotations

from collections.abc import Hashable, Iterable


class UnionFind:
    """Disjoint sets with path halving and union by size.

    Roots depend on insertion order, so callers compare ``components()`` (sets), never roots.
    """

    def __init__(self, nodes: Iterable[Hashable] = ()) -> None:
        self._parent: dict[Hashable, Hashable] = {}
        self._size: dict[Hashable, int] = {}
        for node in nodes:
            self.add(node)

    def add(self, node: Hashable) -> None:
        if node not in self._parent:
            self._parent[node] = node
            self._size[node] = 1

    def find(self, node: Hashable) -> Hashable:
        self.add(node)
        parent = self._parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(self, a: Hashable, b: Hashable) -> bool:
        """Join the sets of a and b; False if they were already one set."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._size[ra] += self._size[rb]
        return True

    def components(self) -> list[list[Hashable]]:
        """Every set with more than one member, members sorted, sets sorted by first member."""
        groups: dict[Hashable, list[Hashable]] = {}
        for node in self._parent:
            groups.setdefault(self.find(node), []).append(node)
        return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])

    def __len__(self) -> int:
        return len(self._parent)
