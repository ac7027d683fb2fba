package io.sagebench.design.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
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

    /** One record to publish. A null payload is allowed (a tombstone); headers include event-id and event-type. */
    public record OutboxRecord(long id, String topic, String key, String eventType, String eventId,
                               Map<String, String> headers, String payload) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Fired inside the writing transaction; the relay observes its commit and sends at once. */
    public record OutboxWritten(int rows) {
    }

    @Inject
    AgroalDataSource dataSource;
    @Inject
    jakarta.enterprise.event.Event<OutboxWritten> written;

    /** Must run inside the caller's transaction, so the rows commit or roll back with the state they announce. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(List<OutboxRecord> records) {
        String sql = "INSERT INTO outbox (topic, record_key, event_type, event_id, headers, payload, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)";
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int pending = 0;
            for (OutboxRecord r : records) {
                ps.setString(1, r.topic());
                ps.setString(2, r.key());
                ps.setString(3, r.eventType());
                ps.setString(4, r.eventId());
                ps.setString(5, MAPPER.writeValueAsString(r.headers()));
                ps.setString(6, r.payload());
                ps.setTimestamp(7, now);
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
        String sql = "SELECT id, topic, record_key, event_type, event_id, headers, payload FROM outbox "
                + "WHERE sent_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
        List<OutboxRecord> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutboxRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), MAPPER.readValue(rs.getString(6), new TypeReference<Map<String, String>>() {
                            }), rs.getString(7)));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not read the outbox", e);
        }
        return out;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void markSent(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE outbox SET sent_at = ? WHERE id = ?")) {
            for (long id : ids) {
                ps.setTimestamp(1, now);
                ps.setLong(2, id);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("could not mark outbox rows sent", e);
        }
    }

    @Transactional
    public long countUnsent() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
