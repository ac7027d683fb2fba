package io.sagebench.emulator;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    @Test
    void parsesEveryOption() {
        EmulatorConfig c = Main.parse(new String[] {"--host", "0.0.0.0", "--port", "4600", "--clock-factor", "120",
                "--sqs-endpoint", "http://127.0.0.1:9324", "--queue-url",
                "http://127.0.0.1:9324/000000000000/sagebench-training-job-events", "--seed", "9", "--create-rate", "2",
                "--quota", "ml.p3.16xlarge=8", "--default-quota", "16", "--fault", "dropEventPercent=5",
                "--fault", "eventDelayMillis=500"});
        assertEquals("0.0.0.0", c.host());
        assertEquals(4600, c.port());
        assertEquals(120, c.clockFactor());
        assertEquals(URI.create("http://127.0.0.1:9324"), c.sqsEndpoint());
        assertTrue(c.deliversEvents());
        assertEquals(9, c.seed());
        assertEquals(2, c.createTrainingJobRatePerSecond());
        assertEquals(8, c.instanceQuota("ml.p3.16xlarge"));
        assertEquals(16, c.instanceQuota("ml.g5.xlarge"));
        assertEquals(5, c.faults().percent("dropEventPercent"));
        assertEquals(500, c.faults().eventDelayMillis());
    }

    @Test
    void defaultsMatchTheDocumentedOnes() {
        EmulatorConfig c = Main.parse(new String[0]);
        assertEquals("127.0.0.1", c.host());
        assertEquals(4599, c.port());
        assertEquals(1.0, c.clockFactor());
        assertEquals("us-east-1", c.region());
        assertEquals("000000000000", c.accountId());
        assertFalse(c.deliversEvents());
        assertEquals(1.0, c.createTrainingJobRatePerSecond());
    }

    @Test
    void reportsEveryBadOptionAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {
                "--port", "x", "--clock-factor", "-1", "--fault", "nope=3", "--queue-url", "http://q"}));
        String m = e.getMessage();
        assertTrue(m.contains("--port") && m.contains("--clock-factor") && m.contains("nope")
                && m.contains("--sqs-endpoint and --queue-url go together"), m);
    }
}
