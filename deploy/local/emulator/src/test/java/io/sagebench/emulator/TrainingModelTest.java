package io.sagebench.emulator;

import io.sagebench.emulator.TrainingModel.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingModelTest {

    private static final long SAMPLES = 2_700_000;   // the study: every run sees 2.7M samples

    /** A study run: distilbert, batch 32/device, steps so that every run sees the same samples. */
    private static Workload studyRun(String type, int count, boolean smddp, long datasetSize, String lr) {
        InstanceCatalog.InstanceType it = InstanceCatalog.find(type);
        int devices = smddp ? it.devices() * count : it.devices();
        long steps = SAMPLES / (32L * devices);
        return TrainingModel.workload(TestJobs.hyperParameters("distilbert-base-uncased", steps, 32, datasetSize, smddp, lr),
                it, count);
    }

    @Test
    void oneV100IsCalibratedOnTheStudy() {
        Workload w = studyRun("ml.p3.2xlarge", 1, false, 1_000_000, "5e-05");
        assertEquals(66_955_010L, w.parameters());
        assertEquals(84_375, w.steps());
        assertEquals(0.78, TrainingModel.stepSeconds(w), 0.005);
        assertEquals(41, 32 / TrainingModel.stepSeconds(w), 0.5);
    }

    @Test
    void moreGpusTrainTheSameSamplesInLessTime() {
        String[][] clusters = {{"ml.p3.2xlarge", "1"}, {"ml.p3.8xlarge", "1"}, {"ml.p3.16xlarge", "1"},
                {"ml.p3.16xlarge", "2"}, {"ml.p3.16xlarge", "4"}};
        long previous = Long.MAX_VALUE;
        for (String[] c : clusters) {
            Workload w = studyRun(c[0], Integer.parseInt(c[1]), !c[0].equals("ml.p3.2xlarge"), 600_000, "5e-05");
            long seconds = TrainingModel.trainingSeconds(w, 0);
            assertEquals(SAMPLES, w.samples(), SAMPLES * 0.001, "same samples for " + c[0] + " x" + c[1]);
            assertTrue(seconds < previous, c[0] + " x" + c[1] + " took " + seconds + " s, not less than " + previous);
            previous = seconds;
        }
    }

    @Test
    void scalingEfficiencyFallsWithGpusAndWithoutSmddpOrEfa() {
        double single = TrainingModel.stepSeconds(studyRun("ml.p3.2xlarge", 1, false, 100_000, "5e-05"));
        double eightSmddp = TrainingModel.stepSeconds(studyRun("ml.p3.16xlarge", 1, true, 100_000, "5e-05"));
        double eightPlain = TrainingModel.stepSeconds(studyRun("ml.p3.16xlarge", 1, false, 100_000, "5e-05"));
        double thirtyTwoSmddp = TrainingModel.stepSeconds(studyRun("ml.p3.16xlarge", 4, true, 100_000, "5e-05"));
        // Per-step time with the same per-device batch: efficiency = single / step.
        double eff8 = single / eightSmddp;
        double eff32 = single / thirtyTwoSmddp;
        assertEquals(0.95, eff8, 0.02);
        assertTrue(eff32 < eff8, "across instances is less efficient");
        assertTrue(single / eightPlain < eff8, "without smdistributed is less efficient");
        // The same 4-instance job on EFA (p3dn) beats plain 25 Gbit/s (p3.16xlarge).
        double efa = TrainingModel.stepSeconds(studyRun("ml.p3dn.24xlarge", 4, true, 100_000, "5e-05"));
        assertTrue(efa < thirtyTwoSmddp);
    }

    @Test
    void fasterGpusTrainFaster() {
        double v100 = TrainingModel.stepSeconds(studyRun("ml.p3.2xlarge", 1, false, 100_000, "5e-05"));
        double a10g = TrainingModel.stepSeconds(studyRun("ml.g5.xlarge", 1, false, 100_000, "5e-05"));
        double a100 = TrainingModel.stepSeconds(studyRun("ml.p4d.24xlarge", 1, true, 100_000, "5e-05"));
        double h100 = TrainingModel.stepSeconds(studyRun("ml.p5.48xlarge", 1, true, 100_000, "5e-05"));
        assertEquals(0.6, v100 / a10g, 0.01);
        assertTrue(a100 < v100 && h100 < a100);
    }

    @Test
    void f1FollowsTheStudy() {
        double f1Batch32 = meanF1(studyRun("ml.p3.2xlarge", 1, false, 100_000, "5e-05"));
        double f1Batch1024 = meanF1(studyRun("ml.p3.16xlarge", 4, true, 100_000, "5e-05"));
        double f1Batch1024Scaled = meanF1(studyRun("ml.p3.16xlarge", 4, true, 100_000, "0.000283"));
        double f1Big32 = meanF1(studyRun("ml.p3.2xlarge", 1, false, 1_000_000, "5e-05"));
        double f1Big1024 = meanF1(studyRun("ml.p3.16xlarge", 4, true, 1_000_000, "5e-05"));
        double f1Mid1024 = meanF1(studyRun("ml.p3.16xlarge", 4, true, 600_000, "5e-05"));
        assertEquals(0.93, f1Batch32, 0.01);
        assertEquals(0.90, f1Batch1024, 0.01);
        assertTrue(f1Batch1024Scaled > f1Batch1024 && f1Batch1024Scaled < f1Batch32, "a higher lr recovers part of it");
        assertEquals(0.95, f1Big32, 0.01);
        assertEquals(0.95, f1Mid1024, 0.01);
        assertTrue(f1Big32 - f1Big1024 < 0.005, "large data is barely affected by the global batch");
    }

    private static double meanF1(Workload w) {
        Random r = new Random(1);
        double sum = 0;
        for (int i = 0; i < 200; i++) sum += TrainingModel.f1(w, r);
        return sum / 200;
    }

    @Test
    void metricsAreProducedOnlyForNamesTheModelKnows() {
        Workload w = studyRun("ml.p3.2xlarge", 1, false, 100_000, "5e-05");
        Map<String, Double> m = TrainingModel.finalMetrics(
                List.of("eval_f1_score", "eval_loss", "train_runtime", "train_samples_per_second", "loss",
                        "eval_accuracy", "gpu_temperature"), w, 1000, new Random(3));
        assertEquals(6, m.size());
        assertEquals(1000, m.get("train_runtime"));
        assertEquals(w.samples() / 1000.0, m.get("train_samples_per_second"), 0.001);
        assertTrue(m.get("eval_loss") > m.get("loss"));
    }

    @Test
    void hyperparametersAreReadAsTheSdkEncodesThem() {
        assertEquals("distilbert-base-uncased", TrainingModel.decodeValue("\"distilbert-base-uncased\""));
        assertEquals("32", TrainingModel.decodeValue("32"));
        Workload w = TrainingModel.workload(Map.of("model_name_or_path", "\"bert-large-uncased\"",
                "num_train_epochs", "2", "per_device_train_batch_size", "8", "dataset_size", "10000",
                "sagemaker_pytorch_ddp_enabled", "true"), InstanceCatalog.find("ml.p4d.24xlarge"), 2);
        assertEquals(340_000_000L, w.parameters());
        assertEquals(TrainingModel.Distribution.DDP, w.distribution());
        assertEquals(128, w.globalBatch());
        assertEquals((long) Math.ceil(2 * 9000 / 128.0), w.steps());
        Workload split = TrainingModel.workload(Map.of("num_train_epochs", "1", "dataset_size", "10000",
                "train_fraction", "0.5", "per_device_train_batch_size", "10"), InstanceCatalog.find("ml.p3.2xlarge"), 1);
        assertEquals(500, split.steps());
        assertEquals(1.0, split.epochs(), 1e-9);
        Workload custom = TrainingModel.workload(Map.of("num_parameters", "5000000"),
                InstanceCatalog.find("ml.g5.xlarge"), 1);
        assertEquals(5_000_000L, custom.parameters());
    }

    @Test
    void outOfMemoryAndVolumeFailuresComeFromTheWorkload() {
        Workload fits = studyRun("ml.p3.2xlarge", 1, false, 100_000, "5e-05");
        assertNull(TrainingModel.outOfMemoryReason(fits));
        Workload tooBig = TrainingModel.workload(TestJobs.hyperParameters("bert-large-uncased", 100, 32, 100_000, false,
                "5e-05"), InstanceCatalog.find("ml.p3.2xlarge"), 1);
        assertNotNull(TrainingModel.outOfMemoryReason(tooBig));
        assertTrue(TrainingModel.outOfMemoryReason(tooBig).contains("CUDA out of memory"));
        assertNull(TrainingModel.volumeTooSmallReason(studyRun("ml.p3.16xlarge", 4, true, 1_000_000, "5e-05"), 30));
        String archive = TrainingModel.volumeTooSmallReason(studyRun("ml.p3.2xlarge", 1, false, 1_000_000, "5e-05"), 5);
        assertNotNull(archive);
        assertTrue(archive.contains("ArchiveError"));
    }
}
