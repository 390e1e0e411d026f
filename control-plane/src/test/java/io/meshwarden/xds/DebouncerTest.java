package io.meshwarden.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DebouncerTest {
  final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void aBurstOfChangesIsOnePushAfterTheQuietPeriod() throws Exception {
    Debouncer d = new Debouncer(executor, Duration.ofMillis(100), Duration.ofSeconds(10), runs::incrementAndGet);
    for (int i = 0; i < 10; i++) {
      d.signal();
      Thread.sleep(10);
    }
    assertEquals(0, runs.get(), "still inside the quiet period");
    Thread.sleep(300);
    assertEquals(1, runs.get());
  }

  @Test
  void aSteadyStreamOfChangesIsPushedAtTheMaximumDelay() throws Exception {
    Debouncer d = new Debouncer(executor, Duration.ofMillis(100), Duration.ofMillis(300), runs::incrementAndGet);
    long start = System.nanoTime();
    while (System.nanoTime() - start < 700_000_000L) {
      d.signal();
      Thread.sleep(20);
    }
    // Never quiet for 100 ms, yet pushed every 300 ms: twice in 700 ms.
    assertTrue(runs.get() >= 2 && runs.get() <= 3, "runs=" + runs.get());
  }
}
