package io.meshwarden.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** An unexpected failure ends with exit 70 and one line that says what to do; the trace only with --debug. */
class FailureTest {
  private static String report(Throwable t, boolean debug, int[] code) {
    StringWriter s = new StringWriter();
    code[0] = Failure.report(t, debug, new PrintWriter(s));
    return s.toString();
  }

  @Test
  void outOfMemory_isOneLineNamingXmx() {
    int[] code = new int[1];
    String err = report(new OutOfMemoryError("Java heap space"), false, code);
    assertEquals(70, code[0]);
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.contains("out of memory") && err.contains("-Xmx"), err);
  }

  @Test
  void wrappedOutOfMemory_isRecognised() {
    int[] code = new int[1];
    String err = report(new RuntimeException("while rendering", new OutOfMemoryError()), false, code);
    assertTrue(err.contains("-Xmx"), err);
  }

  @Test
  void otherErrors_sayItIsABugAndHowToReport_withoutTrace() {
    int[] code = new int[1];
    String err = report(new IllegalStateException("class 7 has no row\nsecond line"), false, code);
    assertEquals(70, code[0]);
    assertEquals("meshwarden: internal error (IllegalStateException: class 7 has no row); this is a bug: rerun with"
        + " --debug and report the output\n", err.replace(System.lineSeparator(), "\n"));
    assertFalse(err.contains("\tat "), err);
  }

  @Test
  void debug_addsTheStackTrace() {
    int[] code = new int[1];
    String err = report(new IllegalStateException("boom"), true, code);
    assertTrue(err.contains("\tat io.meshwarden.cli.FailureTest"), err);
  }

  @Test
  void heapSuggestion_isAtLeastTwiceTheCurrentLimit() {
    assertEquals(2, Failure.suggestedGb(256));
    assertEquals(4, Failure.suggestedGb(2048));
    assertEquals(5, Failure.suggestedGb(2200));
  }

  @Test
  void debugOption_isAcceptedAfterAnyCommand() {
    MeshwardenCommandTest.Run r = MeshwardenCommandTest.run("connectivity", "--debug", "-q", "-f",
        "../manifests/examples/online-boutique/derived/kustomize-base+network-policies.rendered.yaml");
    assertEquals(0, r.code(), r.err());
  }
}
