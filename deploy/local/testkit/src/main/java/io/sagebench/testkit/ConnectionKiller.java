package io.sagebench.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What a MariaDB restart looks like from a service's pool, without stopping the machine's shared server: from a root
 * connection, every idle connection to the service's schema is KILLed every 20 ms until {@link #close()} (socket
 * errors, failed commits and enlistments, connections refused mid-transaction).
 */
public final class ConnectionKiller implements AutoCloseable {

    private final Connection root;
    private final Thread killer;
    private final AtomicInteger killed = new AtomicInteger();
    private volatile boolean away = true;

    private ConnectionKiller(String serverUrl, String user, String password, String schema) throws SQLException {
        root = DriverManager.getConnection(serverUrl, user, password);
        killer = new Thread(() -> killUntilClosed(schema), "db-connection-killer");
        killer.setDaemon(true);
        killer.start();
    }

    /** Starts killing the connections of the running Quarkus test's datasource ({@code quarkus.datasource.*}). */
    public static ConnectionKiller ofThisService() throws SQLException {
        var config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        String schema = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        return new ConnectionKiller(url.substring(0, url.lastIndexOf('/')),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""), schema);
    }

    /** Connections killed so far: zero means the outage touched nothing and the test proves nothing. */
    public int killed() {
        return killed.get();
    }

    private void killUntilClosed(String schema) {
        try (Statement s = root.createStatement()) {
            while (away) {
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT id FROM information_schema.processlist WHERE db = '"
                        + schema + "' AND command = 'Sleep' AND id <> CONNECTION_ID()")) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                for (long id : ids) {
                    try {
                        s.execute("KILL CONNECTION " + id);
                        killed.incrementAndGet();
                    } catch (SQLException gone) {
                        // ended on its own meanwhile
                    }
                }
                Thread.sleep(20);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ends the outage: the database is back for everyone. */
    @Override
    public void close() throws SQLException, InterruptedException {
        away = false;
        killer.join(10_000);
        root.close();
    }
}
