package io.meshwarden.ingest.traffic;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The labels of the Hubble flows one parser reads: 100,000 flows carry the labels of a few
 * thousand pods, so each distinct label text is split once ({@link HubbleEndpoint.Label}), looked
 * up by the parser's characters without making a string, and each distinct set of pod labels is
 * one immutable map that every endpoint with that set shares. Bounded: a table that reaches
 * {@link #MAX} entries starts over. One per parser, on one thread.
 */
final class HubbleLabels {
  static final int MAX = 1 << 14;

  private char[][] texts = new char[1 << 8][];
  private HubbleEndpoint.Label[] labels = new HubbleEndpoint.Label[1 << 8];
  private int size;
  private final Map<Sequence, Map<String, String>> sets = new HashMap<>();

  /** The label whose text is {@code chars[off, off + len)}. */
  HubbleEndpoint.Label label(char[] chars, int off, int len) {
    int h = 0;
    for (int i = off, end = off + len; i < end; i++) {
      h = 31 * h + chars[i];
    }
    int mask = texts.length - 1;
    int slot = spread(h) & mask;
    for (char[] t; (t = texts[slot]) != null; slot = (slot + 1) & mask) {
      if (t.length == len && Arrays.equals(t, 0, len, chars, off, off + len)) {
        return labels[slot];
      }
    }
    String text = new String(chars, off, len);
    HubbleEndpoint.Label label = HubbleEndpoint.Label.of(text);
    if (size >= MAX) {
      texts = new char[1 << 8][];
      labels = new HubbleEndpoint.Label[1 << 8];
      size = 0;
    } else if (2 * (size + 1) > texts.length) {
      grow();
    }
    put(text.toCharArray(), label);
    return label;
  }

  /**
   * The one immutable map equal to the endpoint's {@link HubbleEndpoint#labels}. Looked up by the
   * sequence of label objects it read (each text is one object here), which is cheaper than
   * hashing and comparing maps; the same sequence always gives the same labels.
   */
  Map<String, String> set(HubbleEndpoint e) {
    if (e.labels.isEmpty()) {
      return Map.of();
    }
    Sequence probe = new Sequence(e.podLabels, e.podLabelCount);
    Map<String, String> shared = sets.get(probe);
    if (shared == null) {
      if (sets.size() >= MAX) {
        sets.clear();
      }
      shared = Map.copyOf(e.labels);
      sets.put(new Sequence(java.util.Arrays.copyOf(e.podLabels, e.podLabelCount), e.podLabelCount), shared);
    }
    return shared;
  }

  /** Labels in the order read, compared by identity: one object per text while the table lasts. */
  private static final class Sequence {
    private final HubbleEndpoint.Label[] labels;
    private final int count;
    private final int hash;

    Sequence(HubbleEndpoint.Label[] labels, int count) {
      this.labels = labels;
      this.count = count;
      int h = count;
      for (int i = 0; i < count; i++) {
        h = 31 * h + System.identityHashCode(labels[i]);
      }
      this.hash = h;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Sequence other) || other.count != count || other.hash != hash) {
        return false;
      }
      for (int i = 0; i < count; i++) {
        if (labels[i] != other.labels[i]) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private void grow() {
    char[][] oldTexts = texts;
    HubbleEndpoint.Label[] oldLabels = labels;
    texts = new char[oldTexts.length * 2][];
    labels = new HubbleEndpoint.Label[oldTexts.length * 2];
    size = 0;
    for (int i = 0; i < oldTexts.length; i++) {
      if (oldTexts[i] != null) {
        put(oldTexts[i], oldLabels[i]);
      }
    }
  }

  private void put(char[] text, HubbleEndpoint.Label label) {
    int h = 0;
    for (char c : text) {
      h = 31 * h + c;
    }
    int mask = texts.length - 1;
    int slot = spread(h) & mask;
    while (texts[slot] != null) {
      slot = (slot + 1) & mask;
    }
    texts[slot] = text;
    labels[slot] = label;
    size++;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
