package io.sagebench.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/aws/sagebench.yaml: parses (short-form intrinsics included) and grants what the services call, no more. */
class CloudFormationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The whole of what the services may do; anything else in their policy is broader than least privilege. */
    static final Set<String> SERVICES_MAY = Set.of(
            "sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob",
            "sagemaker:ListTrainingJobs", "sagemaker:AddTags", "sagemaker:ListTags", "iam:PassRole",
            "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl", "s3:GetObject", "s3:PutObject", "s3:ListBucket", "pricing:GetProducts", "pricing:DescribeServices");
    /** What the architecture says the services call, whether or not that code exists yet. */
    static final Set<String> ARCHITECTURE_CALLS = Set.of("sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob",
            "sagemaker:StopTrainingJob", "sqs:ReceiveMessage", "sqs:DeleteMessage");

    static JsonNode template;
    static JsonNode resources;

    @BeforeAll
    static void parse() throws IOException {
        template = parseTemplate(Repo.path("deploy/aws/sagebench.yaml"));
        resources = template.path("Resources");
        assertEquals("2010-09-09", template.path("AWSTemplateFormatVersion").asText());
    }

    /** YAML with CloudFormation's short tags (!Ref X, !Sub "...", !GetAtt A.B) read as their long forms. */
    static JsonNode parseTemplate(Path file) throws IOException {
        class Intrinsics extends SafeConstructor {
            Intrinsics() {
                super(new LoaderOptions());
                yamlMultiConstructors.put("!", new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        String tag = node.getTag().getValue().substring(1);
                        String key = tag.equals("Ref") ? "Ref" : "Fn::" + tag;
                        Object value;
                        if (node instanceof ScalarNode s) {
                            value = tag.equals("GetAtt") ? List.of(s.getValue().split("\\.", 2)) : s.getValue();
                        } else if (node instanceof SequenceNode seq) {
                            value = constructSequence(seq);
                        } else {
                            value = constructMapping((MappingNode) node);
                        }
                        return Map.of(key, value);
                    }
                });
            }
        }
        Object loaded = new Yaml(new Intrinsics()).load(Files.readString(file));
        return JSON.valueToTree(loaded);
    }

    static JsonNode resource(String logicalId, String type) {
        JsonNode r = resources.path(logicalId);
        assertEquals(type, r.path("Type").asText(), logicalId);
        return r.path("Properties");
    }

    /** Every IAM statement of every policy document in the template (identity and resource policies). */
    static List<JsonNode> allStatements() {
        List<JsonNode> out = new ArrayList<>();
        resources.fields().forEachRemaining(e -> {
            JsonNode p = e.getValue().path("Properties");
            Stream.of(p.path("PolicyDocument"), p.path("AssumeRolePolicyDocument"))
                    .filter(JsonNode::isObject).forEach(d -> d.path("Statement").forEach(out::add));
            p.path("Policies").forEach(pol -> pol.at("/PolicyDocument/Statement").forEach(out::add));
        });
        return out;
    }

    static List<String> actions(JsonNode statement) {
        JsonNode a = statement.path("Action");
        List<String> out = new ArrayList<>();
        if (a.isArray()) {
            a.forEach(n -> out.add(n.asText()));
        } else if (!a.isMissingNode()) {
            out.add(a.asText());
        }
        return out;
    }

    static List<JsonNode> servicesStatements() {
        List<JsonNode> out = new ArrayList<>();
        resource("ServicesPolicy", "AWS::IAM::ManagedPolicy").at("/PolicyDocument/Statement").forEach(out::add);
        return out;
    }

    @Test
    void noPolicyGrantsWildcardActions() {
        List<JsonNode> statements = allStatements();
        assertTrue(statements.size() > 10, "expected the template's policies");
        for (JsonNode st : statements) {
            assertTrue(st.path("NotAction").isMissingNode(), "NotAction grants everything else: " + st);
            for (String action : actions(st)) {
                assertFalse(action.contains("*"), "wildcard action " + action + " in " + st);
                assertTrue(action.matches("[a-z0-9-]+:[A-Za-z]+"), "not an IAM action: " + action);
            }
            assertEquals("Allow", st.path("Effect").asText());
        }
    }

    @Test
    void servicesPolicyAllowsEveryCallTheServicesMakeAndNothingMore() throws IOException {
        Set<String> allowed = new TreeSet<>();
        servicesStatements().forEach(st -> allowed.addAll(actions(st)));
        Set<String> needed = new TreeSet<>(ARCHITECTURE_CALLS);
        Set<String> called = actionsCalledByTheServices();
        System.out.println("AWS actions found in the services' code: " + called);
        needed.addAll(called);
        for (String action : needed) {
            assertTrue(allowed.contains(action), "the services call " + action + " but the policy does not allow it");
        }
        Set<String> broader = new TreeSet<>(allowed);
        broader.removeAll(SERVICES_MAY);
        assertTrue(broader.isEmpty(), "the services policy allows more than the services do: " + broader);
    }

    @Test
    void trainingJobActionsAreLimitedToTheJobNamePrefix() {
        assertEquals("bench-", template.at("/Parameters/JobNamePrefix/Default").asText(),
                "the launcher names jobs bench-<runId>-a<attempt>");
        for (JsonNode st : servicesStatements()) {
            for (String action : actions(st)) {
                String resource = st.path("Resource").toString();
                if (action.startsWith("sagemaker:") && !action.startsWith("sagemaker:List")
                        || action.equals("sagemaker:ListTags")) {
                    assertTrue(resource.contains(":training-job/${JobNamePrefix}*"), action + " on " + resource);
                }
                if (action.startsWith("sqs:")) {
                    assertEquals("[\"EventsQueue\",\"Arn\"]", st.at("/Resource/Fn::GetAtt").toString(), action + " on the one queue");
                }
                if (action.startsWith("s3:")) {
                    st.path("Resource").forEach(r -> assertTrue(
                            r.path("Fn::Sub").asText().matches("arn:\\$\\{AWS::Partition}:s3:::\\$\\{(Code|Data)BucketName}(/\\*)?"),
                            action + " beyond the code and data buckets: " + r));
                }
                if (action.equals("iam:PassRole")) {
                    assertEquals("[\"TrainingExecutionRole\",\"Arn\"]", st.at("/Resource/Fn::GetAtt").toString(),
                            "PassRole only for the execution role");
                    assertEquals("sagemaker.amazonaws.com", st.at("/Condition/StringEquals/iam:PassedToService").asText());
                }
                if (resource.equals("\"*\"")) {
                    // only actions that support no resource-level permissions
                    assertTrue(Set.of("sagemaker:ListTrainingJobs", "pricing:GetProducts", "pricing:DescribeServices").contains(action),
                            action + " on every resource");
                }
            }
        }
    }

    @Test
    void eventBridgeRuleFeedsTheQueueWithBenchJobStateChanges() {
        JsonNode rule = resource("TrainingJobStateRule", "AWS::Events::Rule");
        JsonNode pattern = rule.path("EventPattern");
        assertEquals("[\"aws.sagemaker\"]", pattern.path("source").toString());
        assertEquals("[\"SageMaker Training Job State Change\"]", pattern.path("detail-type").toString());
        assertEquals("[\"InProgress\",\"Completed\",\"Failed\",\"Stopping\",\"Stopped\"]",
                pattern.at("/detail/TrainingJobStatus").toString());
        assertEquals("JobNamePrefix", pattern.at("/detail/TrainingJobName/0/prefix/Ref").asText());
        JsonNode target = rule.at("/Targets/0");
        assertEquals("[\"EventsQueue\",\"Arn\"]", target.at("/Arn/Fn::GetAtt").toString());
        assertTrue(target.path("RoleArn").isMissingNode(), "SQS targets take no role; the queue policy allows the rule");
        assertEquals("[\"EventsDeadLetterQueue\",\"Arn\"]", target.at("/DeadLetterConfig/Arn/Fn::GetAtt").toString());

        JsonNode queuePolicy = resource("EventsQueuePolicy", "AWS::SQS::QueuePolicy");
        JsonNode send = queuePolicy.at("/PolicyDocument/Statement/0");
        assertEquals("events.amazonaws.com", send.at("/Principal/Service").asText());
        assertEquals("sqs:SendMessage", send.path("Action").asText());
        assertEquals("[\"TrainingJobStateRule\",\"Arn\"]", send.at("/Condition/ArnEquals/aws:SourceArn/Fn::GetAtt").toString());

        JsonNode queue = resource("EventsQueue", "AWS::SQS::Queue");
        assertEquals(ServiceConfig.localStackQueueName(), template.at("/Parameters/QueueName/Default").asText());
        assertEquals("[\"EventsDeadLetterQueue\",\"Arn\"]", queue.at("/RedrivePolicy/deadLetterTargetArn/Fn::GetAtt").toString());
        int monitorVisibility = ServiceConfig.property("monitor", "sagebench.monitor.visibility-timeout")
                .map(v -> Integer.parseInt(v.replace("s", ""))).orElse(180);
        assertTrue(queue.path("VisibilityTimeout").asInt() >= monitorVisibility,
                "the queue's visibility timeout must cover the monitor's (" + monitorVisibility + " s)");
    }

    @Test
    void rolesTrustOnlyWhoMustAssumeThem() throws IOException {
        JsonNode execution = resource("TrainingExecutionRole", "AWS::IAM::Role");
        assertEquals("sagemaker.amazonaws.com", execution.at("/AssumeRolePolicyDocument/Statement/0/Principal/Service").asText());

        JsonNode irsa = resource("IrsaServicesRole", "AWS::IAM::Role");
        assertEquals("[{\"Ref\":\"ServicesPolicy\"}]", irsa.path("ManagedPolicyArns").toString());
        String trust = irsa.at("/AssumeRolePolicyDocument/Fn::Sub").asText()
                .replace("${AWS::Partition}", "aws").replace("${AWS::AccountId}", "123456789012")
                .replace("${EksOidcProvider}", "oidc.eks.us-east-1.amazonaws.com/id/ABC")
                .replace("${KubernetesNamespace}", template.at("/Parameters/KubernetesNamespace/Default").asText());
        JsonNode condition = JSON.readTree(trust).at("/Statement/0/Condition/StringEquals");
        assertEquals("sts.amazonaws.com", condition.path("oidc.eks.us-east-1.amazonaws.com/id/ABC:aud").asText());
        Set<String> subjects = new TreeSet<>();
        condition.path("oidc.eks.us-east-1.amazonaws.com/id/ABC:sub").forEach(n -> subjects.add(n.asText()));
        String ns = "sagebench";
        assertEquals(Set.of("system:serviceaccount:" + ns + ":launcher-service", "system:serviceaccount:" + ns + ":monitor-service",
                "system:serviceaccount:" + ns + ":results-service"), subjects, "only the AWS-facing service accounts");
        String overlay = Repo.read("deploy/k8s/overlays/aws/kustomization.yaml");
        assertTrue(overlay.contains("namespace: " + ns), "the aws overlay's namespace is the one the role trusts");
    }

    /**
     * The IAM actions behind the AWS SDK calls in the services' code: in files that use the SageMaker or SQS client,
     * every `.operation(` that is an operation of that client ("...Batch" is authorised by the single action).
     */
    /** S3's IAM actions are not named after its API operations. */
    static final Map<String, String> S3_ACTIONS = Map.of("headObject", "s3:GetObject", "getObject", "s3:GetObject",
            "putObject", "s3:PutObject", "listObjectsV2", "s3:ListBucket", "listObjects", "s3:ListBucket");

    static Set<String> actionsCalledByTheServices() throws IOException {
        // SDK package -> (IAM prefix, the client whose methods are the operations)
        Map<String, Map.Entry<String, Set<String>>> sdks = Map.of(
                "software.amazon.awssdk.services.sagemaker", Map.entry("sagemaker", operations(SageMakerClient.class)),
                "software.amazon.awssdk.services.sqs", Map.entry("sqs", operations(SqsClient.class)),
                "software.amazon.awssdk.services.s3", Map.entry("s3", operations(software.amazon.awssdk.services.s3.S3Client.class)),
                "software.amazon.awssdk.services.pricing", Map.entry("pricing", operations(software.amazon.awssdk.services.pricing.PricingClient.class)));
        Set<String> actions = new TreeSet<>();
        Pattern call = Pattern.compile("\\.([a-z][A-Za-z0-9]+)\\(");
        for (String s : Repo.SERVICES) {
            Path src = Repo.path(s + "-service/src/main/java");
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String code = Files.readString(f);
                    for (var sdk : sdks.entrySet()) {
                        if (!code.contains(sdk.getKey() + ".")) {
                            continue;
                        }
                        String prefix = sdk.getValue().getKey();
                        Matcher m = call.matcher(code);
                        while (m.find()) {
                            if (!sdk.getValue().getValue().contains(m.group(1))) {
                                continue;
                            }
                            String op = m.group(1).replaceAll("(Paginator|Batch)$", "");
                            actions.add(prefix.equals("s3") ? S3_ACTIONS.getOrDefault(op, "s3:" + op)
                                    : prefix + ":" + Character.toUpperCase(op.charAt(0)) + op.substring(1));
                        }
                    }
                }
            }
        }
        return actions;
    }

    static Set<String> operations(Class<?> client) {
        Set<String> ops = new TreeSet<>();
        for (Method m : client.getMethods()) {
            String returned = m.getReturnType().getSimpleName();
            if (returned.endsWith("Response") || returned.endsWith("Iterable")) {
                ops.add(m.getName());
            }
        }
        return ops;
    }
}
