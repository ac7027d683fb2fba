package io.sagebench.contracts.catalog;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceCatalogTest {

    private static final InstanceCatalog CATALOG = InstanceCatalog.fromClasspath();

    @Test
    void theShippedCatalogReadsWithEveryField() {
        assertEquals(new InstanceSpec("ml.p3.16xlarge", 8, "V100", 16, true, false, 1.0, 25, 100),
                CATALOG.find("ml.p3.16xlarge").orElseThrow());
        assertEquals(11, CATALOG.instances().size());
        assertEquals("ml.g5.12xlarge", CATALOG.instanceTypes().iterator().next(), "sorted by name");
        assertTrue(CATALOG.find("ml.p9.huge").isEmpty());
        assertTrue(!CATALOG.version().isBlank());
    }

    @Test
    void interconnectsAreTheFiguresQuotesUsedBefore() {
        // network Gbit/s and intra-instance GB/s, as design-service's quote model had them
        Map<String, double[]> expected = Map.of(
                "ml.p3.2xlarge", new double[] {10, 0}, "ml.p3.8xlarge", new double[] {10, 50},
                "ml.p3.16xlarge", new double[] {25, 100}, "ml.p3dn.24xlarge", new double[] {100, 100},
                "ml.p4d.24xlarge", new double[] {400, 230}, "ml.p4de.24xlarge", new double[] {400, 230},
                "ml.p5.48xlarge", new double[] {3200, 450}, "ml.g5.xlarge", new double[] {10, 0},
                "ml.g5.12xlarge", new double[] {40, 10}, "ml.g5.48xlarge", new double[] {100, 10});
        expected.forEach((type, link) -> {
            InstanceSpec spec = CATALOG.find(type).orElseThrow();
            assertEquals(link[0], spec.networkGbps(), type);
            assertEquals(link[1], spec.intraInstanceGBps(), type);
        });
    }

    @Test
    void onlyMultiGpuInstancesHaveAnIntraInstanceLink() {
        for (InstanceSpec spec : CATALOG.instances()) {
            assertTrue(spec.networkGbps() > 0, spec.instanceType());
            assertEquals(spec.gpus() > 1, spec.intraInstanceGBps() > 0, spec.instanceType());
        }
    }

    @Test
    void everyPricedTypeIsInTheCatalog() {
        for (PriceBook.Version v : PriceBook.fromClasspath().versions()) {
            v.prices().values().forEach(byType -> byType.keySet().forEach(type ->
                    assertTrue(CATALOG.find(type).isPresent(), v.version() + " prices " + type + ", unknown to the catalog")));
        }
    }

    @Test
    void aMissingFieldFailsNamingTheInstance() {
        String json = """
                {"version":"t","instances":[{"instanceType":"ml.x.y","gpus":1,"gpuModel":"V100","gpuMemoryGiB":16,
                 "smdistributed":false,"efa":false,"gpuRelativeSpeed":1.0,"networkGbps":10}]}""";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(json));
        assertTrue(e.getMessage().contains("ml.x.y") && e.getMessage().contains("intraInstanceGBps"), e.getMessage());
    }

    @Test
    void aTypeListedTwiceFails() {
        String entry = """
                {"instanceType":"ml.x.y","gpus":1,"gpuModel":"V100","gpuMemoryGiB":16,"smdistributed":false,
                 "efa":false,"gpuRelativeSpeed":1.0,"networkGbps":10,"intraInstanceGBps":0}""";
        assertThrows(IllegalArgumentException.class,
                () -> parse("{\"version\":\"t\",\"instances\":[" + entry + "," + entry + "]}"));
    }

    private static InstanceCatalog parse(String json) throws Exception {
        return InstanceCatalog.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
