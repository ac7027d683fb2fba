package io.sagebench.design.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * Inserts a design's runs with one JDBC batch on the transaction's connection: a 10,000-run design is one statement
 * batch instead of 10,000 managed entities. Reads and updates go through {@link RunEntity}.
 */
@ApplicationScoped
public class RunWriter {

    @Inject
    AgroalDataSource dataSource;

    @Transactional(Transactional.TxType.MANDATORY)
    public void insertAll(List<RunEntity> runs) {
        String sql = "INSERT INTO run (run_id, design_id, cell_id, sequence_no, replicate, status, reused_from, "
                + "instance_type, instance_count, dataset_size, quote_seconds, quote_usd, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int pending = 0;
            for (RunEntity r : runs) {
                ps.setString(1, r.runId);
                ps.setString(2, r.designId);
                ps.setString(3, r.cellId);
                ps.setInt(4, r.sequence);
                ps.setInt(5, r.replicate);
                ps.setString(6, r.status);
                ps.setString(7, r.reusedFrom);
                ps.setString(8, r.instanceType);
                ps.setInt(9, r.instanceCount);
                ps.setLong(10, r.datasetSize);
                ps.setLong(11, r.quoteSeconds);
                ps.setBigDecimal(12, r.quoteUsd);
                ps.setTimestamp(13, Timestamp.from(r.updatedAt));
                ps.addBatch();
                if (++pending == 1000) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not insert runs", e);
        }
    }
}
