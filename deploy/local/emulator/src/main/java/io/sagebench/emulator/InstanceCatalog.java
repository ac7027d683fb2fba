package io.sagebench.emulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What AWS knows about its training instance types: accelerators, their memory, the links between them and the
 * instance's network. This is the emulator's own knowledge (as SageMaker's), deliberately not read from sagebench's
 * catalog, so a wrong entry there shows up as a disagreement instead of being confirmed by itself.
 * Sources: SageMaker Python SDK instance_gpu_info.json, EC2 instance specifications (network bandwidth).
 */
final class InstanceCatalog {

    enum Accelerator {
        // sustainedTflops: dense training throughput one device actually reaches on a BERT-like fine-tune.
        // V100 is calibrated on the study: distilbert-base-uncased, seq 512, batch 32, fp32 = 0.78 s/step
        // => 32 * 6 * 66,955,010 * 512 / 0.78 = 8.44 TFLOP/s (about 54% of the V100's 15.7 TFLOP/s fp32 peak).
        // The others are scaled from it: A100 2.5x, H100 5x, A10G 0.6x (relative throughput on such workloads).
        V100(8.44),
        A100(8.44 * 2.5),
        H100(8.44 * 5.0),
        A10G(8.44 * 0.6),
        // No GPU: the script falls back to the host CPUs (a fraction of a GPU).
        CPU(0.25);

        final double sustainedTflops;

        Accelerator(double sustainedTflops) {
            this.sustainedTflops = sustainedTflops;
        }
    }

    /**
     * @param devices          accelerators per instance (1 for CPU-only types: the host is one device)
     * @param deviceMemoryGiB  memory of one accelerator
     * @param intraNodeGBps    effective all-reduce bus bandwidth between the instance's accelerators (NVLink/NVSwitch/PCIe)
     * @param networkGbps      the instance's network bandwidth to other instances
     * @param efa              Elastic Fabric Adapter (OS-bypass, much better collective efficiency)
     */
    record InstanceType(String name, Accelerator accelerator, int devices, double deviceMemoryGiB,
                        double intraNodeGBps, double networkGbps, boolean efa) {
        int gpus() {
            return accelerator == Accelerator.CPU ? 0 : devices;
        }
    }

    private static final Map<String, InstanceType> TYPES = new LinkedHashMap<>();

    static {
        add("ml.p3.2xlarge", Accelerator.V100, 1, 16, 0, 10, false);
        add("ml.p3.8xlarge", Accelerator.V100, 4, 16, 100, 10, false);
        add("ml.p3.16xlarge", Accelerator.V100, 8, 16, 100, 25, false);
        add("ml.p3dn.24xlarge", Accelerator.V100, 8, 32, 100, 100, true);
        add("ml.p4d.24xlarge", Accelerator.A100, 8, 40, 230, 400, true);
        add("ml.p4de.24xlarge", Accelerator.A100, 8, 80, 230, 400, true);
        add("ml.p5.48xlarge", Accelerator.H100, 8, 80, 450, 3200, true);
        add("ml.g5.xlarge", Accelerator.A10G, 1, 24, 0, 10, false);
        add("ml.g5.2xlarge", Accelerator.A10G, 1, 24, 0, 10, false);
        add("ml.g5.12xlarge", Accelerator.A10G, 4, 24, 12, 40, false);
        add("ml.g5.48xlarge", Accelerator.A10G, 8, 24, 12, 100, false);
        // Trainium needs the Neuron SDK; a CUDA training script falls back to the CPUs.
        add("ml.trn1.32xlarge", Accelerator.CPU, 1, 512, 0, 800, true);
        for (String cpu : new String[] {"ml.m5.large", "ml.m5.xlarge", "ml.m5.2xlarge", "ml.m5.4xlarge", "ml.m5.12xlarge",
                "ml.m5.24xlarge", "ml.c5.xlarge", "ml.c5.2xlarge", "ml.c5.4xlarge", "ml.c5.9xlarge", "ml.c5.18xlarge"}) {
            add(cpu, Accelerator.CPU, 1, 8, 0, 10, false);
        }
    }

    private static void add(String name, Accelerator a, int devices, double memGiB, double intraGBps, double netGbps,
                            boolean efa) {
        TYPES.put(name, new InstanceType(name, a, devices, memGiB, intraGBps, netGbps, efa));
    }

    private InstanceCatalog() {
    }

    static InstanceType find(String name) {
        return TYPES.get(name);
    }

    static Set<String> names() {
        return TYPES.keySet();
    }
}
