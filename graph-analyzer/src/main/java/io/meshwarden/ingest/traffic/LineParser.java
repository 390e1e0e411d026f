package io.meshwarden.ingest.traffic;

/** Turns one line of one format into at most one flow. Instances keep scratch state: one per reader. */
interface LineParser {
  void parse(Line line, RecordSink sink) throws BadRecord;
}
