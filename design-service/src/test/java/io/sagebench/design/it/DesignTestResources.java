package io.sagebench.design.it;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.sagebench.testkit.JwtIssuerResource;
import io.sagebench.testkit.KafkaBrokerResource;
import io.sagebench.testkit.MariaDbResource;

/**
 * What every design-service {@code @QuarkusTest} runs against, declared once: Quarkus applies an unrestricted
 * {@code @QuarkusTestResource} to all tests of the module, whichever class carries it.
 */
@QuarkusTestResource(JwtIssuerResource.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = MariaDbResource.class, initArgs = @ResourceArg(name = "schema", value = "sagebench_design_test"))
final class DesignTestResources {
    private DesignTestResources() {
    }
}
