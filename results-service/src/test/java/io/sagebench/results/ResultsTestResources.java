package io.sagebench.results;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.sagebench.testkit.JwtIssuerResource;
import io.sagebench.testkit.KafkaBrokerResource;
import io.sagebench.testkit.MariaDbResource;
import io.sagebench.testkit.PriceListStandInResource;
import io.sagebench.testkit.SageMakerEmulatorResource;

/**
 * What every results-service {@code @QuarkusTest} runs against, declared once: Quarkus applies an unrestricted
 * {@code @QuarkusTestResource} to all tests of the module, whichever class carries it. The benchmark declares its own
 * stack with {@code restrictToAnnotatedClass = true}.
 */
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = MariaDbResource.class, initArgs = @ResourceArg(name = "schema", value = "sagebench_results_test"))
@QuarkusTestResource(SageMakerEmulatorResource.class)
@QuarkusTestResource(JwtIssuerResource.class)
@QuarkusTestResource(PriceListStandInResource.class)
final class ResultsTestResources {
    private ResultsTestResources() {
    }
}
