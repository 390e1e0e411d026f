package io.meshwarden.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void aWarning_startsOnAClearedLine_andTheNextStageRedraws() {
    StringWriter screen = new StringWriter();
    Progress p = new Progress(new PrintWriter(screen, true), true);
    p.stage("reading manifests");
    int drawn = screen.toString().length() - 1;
    p.messages().println("warning: x.yaml:3: something");
    String s = screen.toString();
    assertTrue(s.contains("\r" + " ".repeat(drawn) + "\rwarning: x.yaml:3: something"), s.replace("\r", "\\r"));
    p.stage("reading flows");
    assertTrue(screen.toString().endsWith("s)"), screen.toString());
  }

  @Test
  void offATerminal_messagesAreWrittenAsTheyAre() {
    StringWriter log = new StringWriter();
    Progress p = new Progress(new PrintWriter(log, true), false);
    p.stage("reading manifests");
    p.messages().println("warning: w");
    assertEquals("warning: w" + System.lineSeparator(), log.toString());
  }
}
