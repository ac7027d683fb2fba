package io.sagebench.design.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.agroal.api.AgroalDataSource;
import io.sagebench.platform.tracing.Traceparent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The transactional outbox. Plain JDBC on the transaction's connection: rows are batch-inserted with AUTO_INCREMENT
 * ids (Hibernate cannot batch identity inserts, and a 10,000-run design writes 10,001 rows), and the relay needs
 * {@code FOR UPDATE SKIP LOCKED} so replicas share the work.
 */
@ApplicationScoped
public class OutboxRepository {

    /**
     * One record to publish. A null payload is allowed (a tombstone); headers include event-id and event-type;
     * traceparent (W3C, may be null) is the span that wrote the row, sent as the record's {@code traceparent} header.
     */
    public record OutboxRecord(long id, String topic, String key, String eventType, String eventId,
                               Map<String, String> headers, String payload, String traceparent) {

        public OutboxRecord(long id, String topic, String key, String eventType, String eventId,
                            Map<String, String> headers, String payload) {
            this(id, topic, key, eventType, eventId, headers, payload, null);
        }
    }

    /** Rows not yet acknowledged by Kafka, and how old the oldest is. */
    public record Backlog(long rows, double oldestAgeSeconds) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectReader HEADERS_READER =
            MAPPER.readerFor(new TypeReference<Map<String, String>>() {
            });
    private static final ObjectWriter HEADERS_WRITER = MAPPER.writer();

    /** Fired inside the writing transaction; the relay observes its commit and sends at once. */
    public record OutboxWritten(int rows) {
    }

    @Inject
    AgroalDataSource dataSource;
    @Inject
    Event<OutboxWritten> written;

    /**
     * Must run inside the caller's transaction, so the rows commit or roll back with the state they announce. Each
     * row keeps {@code traceparent} (the current span, e.g. the REST call's or the consumed record's): one trace per
     * design across the services.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(List<OutboxRecord> records) {
        String traceparent = Traceparent.current();
        String sql = "INSERT INTO outbox (topic, record_key, event_type, event_id, headers, traceparent, payload, "
                + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int pending = 0;
            for (OutboxRecord r : records) {
                ps.setString(1, r.topic());
                ps.setString(2, r.key());
                ps.setString(3, r.eventType());
                ps.setString(4, r.eventId());
                ps.setString(5, HEADERS_WRITER.writeValueAsString(r.headers()));
                ps.setString(6, traceparent);
                ps.setString(7, r.payload());
                ps.setTimestamp(8, now);
                ps.addBatch();
                if (++pending == 500) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not write the outbox", e);
        }
        written.fire(new OutboxWritten(records.size()));
    }

    /** Unsent rows in id order, locked for this transaction; rows another relay holds are skipped. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<OutboxRecord> lockUnsent(int limit) {
        String sql = "SELECT id, topic, record_key, event_type, event_id, headers, payload, traceparent FROM outbox "
                + "WHERE sent_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
        List<OutboxRecord> out = new ArrayList<>(Math.min(limit, 1024));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutboxRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), HEADERS_READER.readValue(rs.getString(6)), rs.getString(7),
                            rs.getString(8)));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not read the outbox", e);
        }
        return out;
    }

    /**
     * Marks the given rows (locked by this transaction) sent: one UPDATE per run of consecutive ids, so a relay batch
     * (its rows are usually consecutive) is one range update instead of a statement or an IN list per row. A range
     * holds only ids of this batch, so it never waits on another relay's locks.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markSent(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        List<Long> sorted = ids.stream().sorted().toList();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE outbox SET sent_at = ? WHERE id BETWEEN ? AND ?")) {
            long first = sorted.get(0);
            long last = first;
            for (int i = 1; i <= sorted.size(); i++) {
                if (i < sorted.size() && sorted.get(i) == last + 1) {
                    last = sorted.get(i);
                    continue;
                }
                ps.setTimestamp(1, now);
                ps.setLong(2, first);
                ps.setLong(3, last);
                ps.addBatch();
                if (i < sorted.size()) {
                    first = sorted.get(i);
                    last = first;
                }
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("could not mark outbox rows sent", e);
        }
    }

    /**
     * For the outbox gauges, outside any transaction: the count walks only the unsent entries of ix_outbox_unsent, and
     * the oldest unsent row is the first by id (ids grow with time), one index probe.
     */
    public Backlog backlog() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT (SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL), "
                     + "COALESCE((SELECT TIMESTAMPDIFF(MICROSECOND, created_at, CURRENT_TIMESTAMP(6)) FROM outbox "
                     + "WHERE sent_at IS NULL ORDER BY id LIMIT 1), 0)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Backlog(rs.getLong(1), Math.max(0, rs.getLong(2)) / 1e6);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the outbox backlog", e);
        }
    }

    /** Whether any row is still unsent: one index probe (a benchmark polls it without loading the database). */
    @Transactional
    public boolean hasUnsent() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM outbox WHERE sent_at IS NULL LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
