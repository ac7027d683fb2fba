-- One trace per design: the W3C traceparent of the span that wrote the row; the relay sends it as the record's
-- `traceparent` header, so consumers continue the design's trace (docs/operations.md, tracing).
ALTER TABLE outbox ADD COLUMN traceparent VARCHAR(55) NULL AFTER headers;
