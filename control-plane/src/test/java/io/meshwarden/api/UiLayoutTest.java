package io.meshwarden.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UiLayoutTest {
  @Test
  void callersComeBeforeTheirCallees_unconnectedNodesLast() {
    UiLayout l = new UiLayout();
    l.place(Map.of("ns", List.of("a", "b", "c", "lonely")), Map.of("a", Set.of("b"), "b", Set.of("c")));
    assertEquals(0, l.cell("ns", "a").column());
    assertEquals(1, l.cell("ns", "b").column());
    assertEquals(2, l.cell("ns", "c").column());
    assertEquals(3, l.cell("ns", "lonely").column());
  }

  @Test
  void aNewNode_takesAFreeCell_andNoPlacedNodeMoves() {
    UiLayout l = new UiLayout();
    l.place(Map.of("ns", List.of("a", "b", "c")), Map.of("a", Set.of("b", "c")));
    UiLayout.Cell a = l.cell("ns", "a");
    UiLayout.Cell b = l.cell("ns", "b");
    UiLayout.Cell c = l.cell("ns", "c");
    assertEquals(3, l.placements());
    // Later traffic would have put "new" first; the layout does not start over.
    l.place(Map.of("ns", List.of("a", "b", "c", "new"), "other", List.of("x")),
        Map.of("new", Set.of("a"), "a", Set.of("b", "c")));
    assertEquals(a, l.cell("ns", "a"));
    assertEquals(b, l.cell("ns", "b"));
    assertEquals(c, l.cell("ns", "c"));
    UiLayout.Cell n = l.cell("ns", "new");
    assertTrue(!n.equals(a) && !n.equals(b) && !n.equals(c), n.toString());
    assertEquals(5, l.placements(), "only the new nodes were placed");
    l.place(Map.of("ns", List.of("a", "b", "c", "new")), Map.of());
    assertEquals(5, l.placements(), "nothing new: nothing placed");
  }

  @Test
  void aLargeGroup_wrapsColumns_andItsSizeHoldsEveryCell() {
    UiLayout l = new UiLayout();
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add("w" + i);
    }
    l.place(Map.of("big", ids), Map.of());
    int[] size = l.size("big");
    for (String id : ids) {
      UiLayout.Cell c = l.cell("big", id);
      assertTrue(c.x() + UiLayout.CELL_W - 40 <= size[0] && c.y() + UiLayout.CELL_H <= size[1], id + " " + c);
    }
    assertNotEquals(size[0], size[1] * 50, "not one long row");
    assertTrue(size[0] < 30 * UiLayout.CELL_W && size[1] < 30 * UiLayout.CELL_H, size[0] + "x" + size[1]);
  }
}
