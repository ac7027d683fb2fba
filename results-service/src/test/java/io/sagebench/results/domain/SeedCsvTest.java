package io.sagebench.results.domain;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SeedCsvTest {

    @Test
    void formatsFloatsLikePandas() {
        assertEquals("5e-05", SeedCsv.pythonFloat(5e-5));
        assertEquals("0.000283", SeedCsv.pythonFloat(0.000283));
        assertEquals("3.0", SeedCsv.pythonFloat(3));
        assertEquals("2637.0", SeedCsv.pythonFloat(2637));
        assertEquals("1.5e-07", SeedCsv.pythonFloat(1.5e-7));
        assertEquals("0.0001", SeedCsv.pythonFloat(1e-4));
    }

    @Test
    void seedColumnsFirstThenResultsThenOurs() {
        RunPlan p4 = new RunPlan("d-1-r001", "d-1", "0123456789ab", 1, 1, "distilbert-base-uncased", 66955010L,
                "amazon_polarity", 600000, "ml.p3.16xlarge", 4, 8, 32, "smdistributed", 32, 1024, 5e-5, 2637, 5.0,
                2_700_000L, 30, false, "us-east-1");
        RunPlan p1 = new RunPlan("d-1-r002", "d-1", "ba9876543210", 2, 1, "distilbert-base-uncased", 66955010L,
                "amazon_polarity", 100000, "ml.p3.2xlarge", 1, 1, 1, "none", 32, 32, 5e-5, 84375, 30.0,
                2_700_000L, 1024, false, "us-east-1");
        RunRecord r = new RunRecord("d-1-r001", "d-1", "0123456789ab", 1, 1, 1, "bench-d-1-r001-a1", "Completed", null,
                "ml.p3.16xlarge", 4, 8, 32, "smdistributed", 600000, 32, 1024, 5e-5, 2637, 5.0, 1200, 1200, 100.0,
                1000.0, 10.0, 2700.0, null, new BigDecimal("28.152"), "2021-study", new BigDecimal("37.536"), 0.95,
                Map.of(), Instant.parse("2026-01-01T00:00:00Z"));
        String[] lines = SeedCsv.write(List.of(p1, p4), List.of(r), Map.of("d-1-r002", 3.825)).split("\n");
        assertEquals("run_id,dataset_name,automodel_name,num_parameters_tuned,per_device_train_batch_size,learning_rate,"
                + "epochs,instance_type,num_gpus,global_batch_size,num_steps,hourly_price,volume_size,parallel_enabled,"
                + "num_nodes,dataset_size,train_time,f1,billable_seconds,cost,sagebench_run_id,design_id,cell_id,"
                + "replicate,status,training_job_name,price_book_version,startup_seconds,training_phase_seconds,"
                + "samples_per_second,failure_reason", lines[0]);
        assertEquals("0,amazon_polarity,distilbert-base-uncased,66955010,32,5e-05,5.0,ml.p3.16xlarge,32,1024,2637.0,"
                + "28.152,30,True,4,600000,1200,0.95,1200,37.536,d-1-r001,d-1,0123456789ab,1,Completed,"
                + "bench-d-1-r001-a1,2021-study,100.0,1000.0,2700.0,", lines[1]);
        assertEquals("1,amazon_polarity,distilbert-base-uncased,66955010,32,5e-05,30.0,ml.p3.2xlarge,1,32,84375.0,"
                + "3.825,1024,False,1,100000,,,,,d-1-r002,d-1,ba9876543210,1,,,,,,,", lines[2]);
    }
}
