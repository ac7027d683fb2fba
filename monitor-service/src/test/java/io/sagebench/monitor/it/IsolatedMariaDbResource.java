package io.sagebench.monitor.it;

import io.sagebench.testkit.MariaDbResource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The test kit's MariaDbResource with the test JVM's pid appended to the schema name, dropped again at the end: the
 * machine's one MariaDB is shared, and a second run of this module's tests (a CI checkout, another engineer) would
 * otherwise drop the schema under a running test.
 */
public class IsolatedMariaDbResource extends MariaDbResource {

    private String schema;
    private Map<String, String> started;

    @Override
    public void init(Map<String, String> initArgs) {
        Map<String, String> args = new HashMap<>(initArgs);
        schema = args.getOrDefault("schema", "sagebench_monitor_test") + "_" + ProcessHandle.current().pid();
        args.put("schema", schema);
        super.init(args);
    }

    @Override
    public Map<String, String> start() {
        started = super.start();
        return started;
    }

    @Override
    public void stop() {
        if (started != null) {
            String url = started.get("quarkus.datasource.jdbc.url");
            try (Connection c = DriverManager.getConnection(url.substring(0, url.lastIndexOf('/') + 1),
                    started.get("quarkus.datasource.username"), started.get("quarkus.datasource.password"));
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS `" + schema + "`");
            } catch (SQLException e) {
                // only tidiness: the next run of the same pid would drop it anyway
            }
        }
        super.stop();
    }
}
