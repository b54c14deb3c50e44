"""The candidate-list store of the nearest-segment search (tracker.distance_search)."""

from __future__ import annotations

import numpy as np

from tracker.distance_search import CellLists


def test_cell_lists_gather_what_was_added_sorted_by_distance_across_rounds():
    lists = CellLists()
    # round 1: cells 40 and 7 (keys sorted, as the search passes them)
    lists.add(np.array([7, 40]), cell_idx=np.array([1, 0, 1, 0]),
              seg_idx=np.array([5, 3, 2, 9]), dist=np.array([30.0, 20.0, 10.0, 5.0]))
    # round 2: a cell between them and one after; cell 12 has no candidate at all
    lists.add(np.array([12, 99]), cell_idx=np.array([1]), seg_idx=np.array([4]),
              dist=np.array([1.0]))
    assert lists.missing(np.array([3, 7, 12, 40, 50, 99, 120])).tolist() == [3, 50, 120]
    seg, dist, start, count = lists.gather(np.array([99, 7, 40, 7, 12]))
    assert count.tolist() == [1, 2, 2, 2, 0]
    assert start.tolist() == [0, 1, 3, 5, 7]
    assert seg.tolist() == [4, 9, 3, 2, 5, 9, 3]
    assert dist.tolist() == [1.0, 5.0, 20.0, 10.0, 30.0, 5.0, 20.0]


def test_cell_lists_empty_store_misses_everything():
    keys = np.array([1, 2, 3])
    assert CellLists().missing(keys).tolist() == [1, 2, 3]
