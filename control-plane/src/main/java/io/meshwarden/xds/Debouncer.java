package io.meshwarden.xds;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action once changes have been quiet for {@code quiet}, and at the latest {@code maxDelay}
 * after the first unhandled change (Istio's push debounce: 100 ms, at most 10 s). The action runs on
 * the given single-thread executor, so runs never overlap: that is the push throttle, one batch at a
 * time, and changes that arrive during a run start the next window.
 */
final class Debouncer {
  private final ScheduledExecutorService executor;
  private final long quietNanos;
  private final long maxNanos;
  private final Runnable action;
  private long firstPending = -1;
  private ScheduledFuture<?> scheduled;

  Debouncer(ScheduledExecutorService executor, Duration quiet, Duration maxDelay, Runnable action) {
    this.executor = executor;
    this.quietNanos = quiet.toNanos();
    this.maxNanos = maxDelay.toNanos();
    this.action = action;
  }

  synchronized void signal() {
    long now = System.nanoTime();
    if (firstPending < 0) {
      firstPending = now;
    }
    if (scheduled != null) {
      scheduled.cancel(false);
    }
    long at = Math.min(now + quietNanos, firstPending + maxNanos);
    scheduled = executor.schedule(this::fire, Math.max(0, at - now), TimeUnit.NANOSECONDS);
  }

  private void fire() {
    synchronized (this) {
      firstPending = -1;
      scheduled = null;
    }
    action.run();
  }
}
