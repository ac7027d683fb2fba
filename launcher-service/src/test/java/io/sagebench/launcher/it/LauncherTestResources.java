package io.sagebench.launcher.it;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.sagebench.testkit.JwtIssuerResource;
import io.sagebench.testkit.KafkaBrokerResource;
import io.sagebench.testkit.MariaDbResource;
import io.sagebench.testkit.S3StandInResource;
import io.sagebench.testkit.SageMakerEmulatorResource;

/**
 * What every launcher {@code @QuarkusTest} runs against, declared once: Quarkus applies an unrestricted
 * {@code @QuarkusTestResource} to all tests of the module, whichever class carries it. Tests that need their own
 * stack (a schema of their own, other settings) declare it with {@code restrictToAnnotatedClass = true}.
 */
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = MariaDbResource.class,
        initArgs = @ResourceArg(name = "schema", value = "sagebench_launcher_test"))
@QuarkusTestResource(SageMakerEmulatorResource.class)
@QuarkusTestResource(S3StandInResource.class)
@QuarkusTestResource(JwtIssuerResource.class)
final class LauncherTestResources {
    private LauncherTestResources() {
    }
}
