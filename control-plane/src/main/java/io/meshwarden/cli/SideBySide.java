package io.meshwarden.cli;

import io.meshwarden.ingest.manifest.ManifestException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent pure tasks (loading one input, evaluating one model) on the machine's other
 * cores while the caller reads their results back in the order a sequential run would have
 * produced them: the first failure in that order is the one reported, with the exception the
 * task threw (a {@link ManifestException} names its file and line; an {@link OutOfMemoryError}
 * still ends the command with exit 70). Worker threads are daemons and the pool is shut down on
 * {@link #close()}, so a task left running after an earlier failure never holds the JVM.
 */
final class SideBySide implements AutoCloseable {
  /** A task that may fail the way loading fails. */
  @FunctionalInterface
  interface Task<T> {
    T call() throws Exception;
  }

  private final ExecutorService pool;

  SideBySide(int threads) {
    pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "meshwarden-side-by-side");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts {@code task} on a worker. */
  <T> Future<T> start(Task<T> task) {
    Callable<T> c = task::call;
    return pool.submit(c);
  }

  /** The result of {@code f}, or what its task threw, as it threw it. */
  static <T> T result(Future<T> f) throws ManifestException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ManifestException m) {
        throw m;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
