package io.meshwarden.connectivity;

import java.util.Arrays;

/**
 * Set algebra on sorted, disjoint, non-adjacent closed integer intervals packed as
 * {@code [lo0, hi0, lo1, hi1, ...]}. Every result is normalised, so equal sets are equal arrays.
 */
final class PortRanges {
  static final int[] EMPTY = new int[0];

  private PortRanges() {}

  static int[] of(int lo, int hi) {
    return lo > hi ? EMPTY : new int[] {lo, hi};
  }

  static int[] union(int[] a, int[] b) {
    if (a.length == 0) {
      return b;
    }
    if (b.length == 0 || covers(a, b)) {
      return a;
    }
    if (covers(b, a)) {
      return b;
    }
    int[] out = new int[a.length + b.length];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      int lo;
      int hi;
      if (j >= b.length || (i < a.length && a[i] <= b[j])) {
        lo = a[i];
        hi = a[i + 1];
        i += 2;
      } else {
        lo = b[j];
        hi = b[j + 1];
        j += 2;
      }
      if (n > 0 && lo <= out[n - 1] + 1) {
        out[n - 1] = Math.max(out[n - 1], hi);
      } else {
        out[n++] = lo;
        out[n++] = hi;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  static int[] intersect(int[] a, int[] b) {
    if (a.length == 0 || b.length == 0 || a[a.length - 1] < b[0] || b[b.length - 1] < a[0]) {
      return EMPTY;
    }
    if (covers(b, a)) {
      return a;
    }
    if (covers(a, b)) {
      return b;
    }
    int[] out = new int[a.length + b.length];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < a.length && j < b.length) {
      int lo = Math.max(a[i], b[j]);
      int hi = Math.min(a[i + 1], b[j + 1]);
      if (lo <= hi) {
        out[n++] = lo;
        out[n++] = hi;
      }
      if (a[i + 1] < b[j + 1]) {
        i += 2;
      } else {
        j += 2;
      }
    }
    return n == 0 ? EMPTY : Arrays.copyOf(out, n);
  }

  static int[] subtract(int[] a, int[] b) {
    if (a.length == 0 || b.length == 0) {
      return a;
    }
    int[] out = new int[a.length + b.length];
    int n = 0;
    int j = 0;
    for (int i = 0; i < a.length; i += 2) {
      int lo = a[i];
      int hi = a[i + 1];
      while (j < b.length && b[j + 1] < lo) {
        j += 2;
      }
      int k = j;
      while (k < b.length && b[k] <= hi && lo <= hi) {
        if (b[k] > lo) {
          out[n++] = lo;
          out[n++] = b[k] - 1;
        }
        lo = Math.max(lo, b[k + 1] + 1);
        k += 2;
      }
      if (lo <= hi) {
        out[n++] = lo;
        out[n++] = hi;
      }
    }
    return n == 0 ? EMPTY : Arrays.copyOf(out, n);
  }

  /**
   * Whether every value of {@code b} is in {@code a}: then a union or an intersection is one of
   * its operands, and the hot paths of connectivity allocate nothing.
   */
  static boolean covers(int[] a, int[] b) {
    int i = 0;
    for (int j = 0; j < b.length; j += 2) {
      while (i < a.length && a[i + 1] < b[j]) {
        i += 2;
      }
      if (i >= a.length || a[i] > b[j] || a[i + 1] < b[j + 1]) {
        return false;
      }
    }
    return true;
  }

  static boolean contains(int[] a, int value) {
    for (int i = 0; i < a.length; i += 2) {
      if (value >= a[i] && value <= a[i + 1]) {
        return true;
      }
      if (value < a[i]) {
        return false;
      }
    }
    return false;
  }

  static String format(int[] a) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < a.length; i += 2) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(a[i]);
      if (a[i + 1] != a[i]) {
        sb.append('-').append(a[i + 1]);
      }
    }
    return sb.toString();
  }
}
