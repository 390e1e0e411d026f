package io.meshwarden.ingest.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.Origin;
import io.meshwarden.traffic.ObservedFlow;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files, stdin, gzip, format detection, and hostile input: nothing but strict mode stops a run. */
class FlowReaderTest {
  @TempDir Path tmp;

  private static final String HTTP = "basic-sample-5-http-flows.json";

  private ReadSummary read(List<String> paths, Format format, boolean strict, InputStream stdin, List<ObservedFlow> out)
      throws FlowReadException {
    return new FlowReader(format, strict, stdin).read(paths, out::add);
  }

  private static ObservedFlow withoutOrigin(ObservedFlow f) {
    return new ObservedFlow(f.time(), f.source(), f.destination(), f.protocol(), f.port(), f.httpMethod(), f.httpPath(),
        f.authority(), f.responseCode(), f.bytes(), f.verdict(), Origin.UNKNOWN);
  }

  @Test
  void gzippedFile_isReadLikeThePlainOne_whateverItsName() throws Exception {
    Path plain = TrafficFixtures.hubble(HTTP);
    Path gz = tmp.resolve("flows.log");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(plain, o);
    }
    List<ObservedFlow> a = new ArrayList<>();
    List<ObservedFlow> b = new ArrayList<>();
    read(List.of(plain.toString()), Format.AUTO, true, InputStream.nullInputStream(), a);
    read(List.of(gz.toString()), Format.AUTO, true, InputStream.nullInputStream(), b);
    assertEquals(3, a.size());
    assertEquals(a.stream().map(FlowReaderTest::withoutOrigin).toList(), b.stream().map(FlowReaderTest::withoutOrigin).toList());
  }

  @Test
  void dash_readsStdin_andNamesItInOrigins() throws Exception {
    List<ObservedFlow> flows = new ArrayList<>();
    ReadSummary s = read(List.of("-"), Format.AUTO, false, Files.newInputStream(TrafficFixtures.hubble(HTTP)), flows);
    assertEquals(3, flows.size());
    assertEquals(1, s.files());
    assertEquals("<stdin>", flows.get(0).origin().file());
  }

  @Test
  void truncatedLastLine_isOneBadRecord_andTheRestIsKept() throws Exception {
    byte[] all = Files.readAllBytes(TrafficFixtures.hubble(HTTP));
    Path cut = tmp.resolve("cut.json");
    Files.write(cut, Arrays.copyOf(all, all.length - 300));
    List<ObservedFlow> flows = new ArrayList<>();
    ReadSummary s = read(List.of(cut.toString()), Format.AUTO, false, InputStream.nullInputStream(), flows);
    assertEquals(1, s.badRecordCount());
    assertTrue(s.badRecords().get(0).startsWith(cut + ":5: invalid JSON"), s.badRecords().toString());
    assertTrue(s.badRecords().get(0).endsWith("(last line has no newline: truncated?)"));
    assertEquals(4, flows.size() + s.skipped().values().stream().mapToLong(Long::longValue).sum(), "lines 1-4 intact");
  }

  @Test
  void truncatedGzip_keepsWhatWasReadAndReportsTheRest() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream o = new GZIPOutputStream(bytes)) {
      Files.copy(TrafficFixtures.hubble("basic-sample-348-http-flows.json"), o);
    }
    byte[] gz = bytes.toByteArray();
    Path cut = tmp.resolve("cut.json.gz");
    Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
    List<ObservedFlow> flows = new ArrayList<>();
    ReadSummary s = read(List.of(cut.toString()), Format.AUTO, false, InputStream.nullInputStream(), flows);
    assertTrue(flows.size() > 10);
    assertTrue(s.badRecordCount() >= 1);
    assertTrue(s.badRecords().stream().anyMatch(r -> r.contains("cannot read further")), s.badRecords().toString());
  }

  @Test
  void garbageLines_areCountedWithFileAndLine_andNeverStopTheRun() throws Exception {
    String good = Files.readAllLines(TrafficFixtures.hubble(HTTP)).get(0);
    String text = "not json at all\n" + good + "\n{\"flow\": [1, 2\n\n\u0000\u00ff binary\n" + good + " trailing\n"
        + "[]\n" + good + "\n";
    Path f = tmp.resolve("mixed.json");
    Files.writeString(f, text, StandardCharsets.ISO_8859_1);
    List<ObservedFlow> flows = new ArrayList<>();
    ReadSummary s = read(List.of(f.toString()), Format.HUBBLE_JSON, false, InputStream.nullInputStream(), flows);
    assertEquals(2, flows.size());
    assertEquals(5, s.badRecordCount(), s.badRecords().toString());
    assertEquals(List.of(1, 3, 5, 6, 7), s.badRecords().stream()
        .map(r -> Integer.parseInt(r.substring(f.toString().length() + 1, r.indexOf(':', f.toString().length() + 1))))
        .toList());
    assertEquals(7, s.lines(), "blank lines are not counted");
  }

  @Test
  void strictMode_makesTheFirstBadRecordFatal_namingFileAndLine() throws Exception {
    String good = Files.readAllLines(TrafficFixtures.hubble(HTTP)).get(0);
    Path f = tmp.resolve("strict.json");
    Files.writeString(f, good + "\n" + good + "\n{oops\n" + good + "\n");
    List<ObservedFlow> flows = new ArrayList<>();
    FlowReadException e = assertThrows(FlowReadException.class,
        () -> read(List.of(f.toString()), Format.AUTO, true, InputStream.nullInputStream(), flows));
    assertEquals(f.toString(), e.origin().file());
    assertEquals(3, e.origin().line());
    assertTrue(e.getMessage().startsWith(f + ":3: invalid JSON"), e.getMessage());
    assertEquals(2, flows.size());
  }

  @Test
  void overlongLine_isReportedWithoutBeingBuffered() throws Exception {
    String good = Files.readAllLines(TrafficFixtures.hubble(HTTP)).get(0);
    String huge = "{\"flow\":{\"x\":\"" + "a".repeat(10_000) + "\"}}";
    List<ObservedFlow> flows = new ArrayList<>();
    ReadSummary s = new FlowReader(Format.AUTO, false, InputStream.nullInputStream(), 4096)
        .read("big", TrafficFixtures.stream(good + "\n" + huge + "\n" + good + "\n" + huge), flows::add);
    assertEquals(2, flows.size());
    assertEquals(List.of("big:2: line longer than 4096 bytes", "big:4: line longer than 4096 bytes"), s.badRecords());
  }

  @Test
  void badRecordList_isCapped_butTheCountIsNot() throws Exception {
    String text = "garbage\n".repeat(250);
    TrafficFixtures.Read read = TrafficFixtures.read(Format.ENVOY_JSON, text);
    assertEquals(250, read.summary().badRecordCount());
    assertEquals(FlowReader.MAX_REPORTED_BAD_RECORDS, read.summary().badRecords().size());
  }

  @Test
  void autoDetection_picksTheFormatPerFile() throws Exception {
    Path text = tmp.resolve("a.log");
    Files.writeString(text, "\n\n" + EnvoyTextParserTest.SIDECAR_OUTBOUND + "\r\n");
    Path json = tmp.resolve("b.log");
    Files.writeString(json, EnvoyJsonParserTest.OUTBOUND + "\n");
    Path dir = tmp.resolve("hubble");
    Files.createDirectories(dir);
    Files.copy(TrafficFixtures.hubble(HTTP), dir.resolve("flows.json"));
    List<ObservedFlow> flows = new ArrayList<>();
    ReadSummary s = read(List.of(text.toString(), json.toString(), dir.toString()), Format.AUTO, true,
        InputStream.nullInputStream(), flows);
    assertEquals(3, s.files());
    assertEquals(5, flows.size());
    assertEquals(3, flows.get(0).origin().line());
    assertEquals("172.30.146.82", flows.get(0).source().ip());
    assertEquals("10.244.0.15", flows.get(1).source().ip());
    assertEquals("istio-system", flows.get(2).source().namespace());
  }

  @Test
  void missingPath_isFatalEvenWhenNotStrict() {
    FlowReadException e = assertThrows(FlowReadException.class, () -> read(List.of(tmp.resolve("nope").toString()),
        Format.AUTO, false, InputStream.nullInputStream(), new ArrayList<>()));
    assertTrue(e.getMessage().endsWith("path does not exist"));
  }
}
