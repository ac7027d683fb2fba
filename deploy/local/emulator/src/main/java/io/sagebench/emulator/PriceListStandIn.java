package io.sagebench.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The AWS Price List Query API ({@code AWSPriceListService}) on the JSON 1.1 wire protocol, enough for the unmodified
 * SDK v2 {@code PricingClient}: {@code GetProducts} (TERM_MATCH filters on any product attribute, {@code MaxResults}
 * and {@code NextToken} paging) and {@code DescribeServices}. Each PriceList entry is a JSON <em>string</em> shaped like
 * the real documents: {@code product{productFamily, attributes{instanceName, regionCode, location, usagetype
 * "USE1-Train:ml.p3.2xlarge", component "Training", …}, sku}, terms.OnDemand.<sku.offer>.priceDimensions.<rate>
 * .pricePerUnit.USD}. The price table is configurable while it runs; raw entries (e.g. unparseable ones) can be added.
 */
public final class PriceListStandIn implements AutoCloseable {

    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    static final String TARGET_PREFIX = "AWSPriceListService.";
    static final String SERVICE_CODE = "AmazonSageMaker";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Region code → the Price List's location name and usage-type prefix. */
    private static final Map<String, String[]> REGIONS = Map.of(
            "us-east-1", new String[]{"US East (N. Virginia)", "USE1"},
            "us-east-2", new String[]{"US East (Ohio)", "USE2"},
            "us-west-2", new String[]{"US West (Oregon)", "USW2"},
            "eu-west-1", new String[]{"EU (Ireland)", "EU"},
            "eu-central-1", new String[]{"EU (Frankfurt)", "EUC1"},
            "ap-northeast-1", new String[]{"Asia Pacific (Tokyo)", "APN1"});

    private final HttpServer server;
    private final ExecutorService executor;
    /** Training prices by region, then instance type, USD per instance-hour. */
    private final Map<String, Map<String, BigDecimal>> trainingPrices = new LinkedHashMap<>();
    private final List<String> rawEntries = new ArrayList<>();
    private final AtomicInteger getProductsCalls = new AtomicInteger();
    private volatile int maxPageSize = 100;
    private volatile String publicationDate = "2026-01-01T00:00:00Z";

    private PriceListStandIn(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "price-list-stand-in");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts on {@code port} (0: a free one) of loopback. */
    public static PriceListStandIn start(int port) throws IOException {
        return start("127.0.0.1", port);
    }

    public static PriceListStandIn start(String host, int port) throws IOException {
        PriceListStandIn standIn = new PriceListStandIn(host, port);
        standIn.server.start();
        return standIn;
    }

    /** Runs it on its own: {@code java … io.sagebench.emulator.PriceListStandIn [port]} (default 4590), seed prices. */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 4590;
        PriceListStandIn standIn = start(System.getProperty("pricelist.host", "127.0.0.1"), port).withSeedPrices();
        System.out.println("Price List stand-in on " + standIn.endpoint());
    }

    /** The seed study's on-demand training prices in us-east-1 (contracts sagebench/catalog/price-book.json, version 2021-study). */
    public PriceListStandIn withSeedPrices() {
        setPrice("us-east-1", "ml.p3.2xlarge", "3.825");
        setPrice("us-east-1", "ml.p3.8xlarge", "14.688");
        setPrice("us-east-1", "ml.p3.16xlarge", "28.152");
        setPrice("us-east-1", "ml.p3dn.24xlarge", "35.894");
        setPrice("us-east-1", "ml.p4d.24xlarge", "37.688");
        setPrice("us-east-1", "ml.g5.xlarge", "1.408");
        setPrice("us-east-1", "ml.g5.12xlarge", "7.09");
        setPrice("us-east-1", "ml.g5.48xlarge", "20.36");
        return this;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Sets (or changes) the on-demand training price of a type in a region. */
    public synchronized PriceListStandIn setPrice(String region, String instanceType, String usdPerHour) {
        if (!REGIONS.containsKey(region)) {
            throw new IllegalArgumentException("the stand-in knows the regions " + REGIONS.keySet() + ", not " + region);
        }
        trainingPrices.computeIfAbsent(region, r -> new LinkedHashMap<>()).put(instanceType, new BigDecimal(usdPerHour));
        return this;
    }

    /** Drops every price and raw entry. */
    public synchronized PriceListStandIn clear() {
        trainingPrices.clear();
        rawEntries.clear();
        return this;
    }

    /** Adds a PriceList entry exactly as given (it is returned to every GetProducts, after the priced products). */
    public synchronized PriceListStandIn addRawEntry(String priceListEntry) {
        rawEntries.add(priceListEntry);
        return this;
    }

    /** At most this many products a page, whatever MaxResults asks (AWS may answer fewer than asked; default 100). */
    public PriceListStandIn pageSize(int size) {
        this.maxPageSize = Math.max(1, size);
        return this;
    }

    public PriceListStandIn publicationDate(String isoInstant) {
        this.publicationDate = isoInstant;
        return this;
    }

    /** GetProducts calls answered so far (a page each). */
    public int getProductsCalls() {
        return getProductsCalls.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                error(exchange, 400, "UnknownOperationException", "Only POST / with X-Amz-Target: "
                        + TARGET_PREFIX + "<Operation> is supported");
                return;
            }
            JsonNode body;
            try {
                byte[] bytes = exchange.getRequestBody().readAllBytes();
                body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
            } catch (JsonProcessingException e) {
                error(exchange, 400, "SerializationException", "Malformed JSON request body");
                return;
            }
            String op = target.substring(TARGET_PREFIX.length());
            try {
                ObjectNode answer = switch (op) {
                    case "GetProducts" -> getProducts(body);
                    case "DescribeServices" -> describeServices(body);
                    default -> throw new ApiError("UnknownOperationException", "Unrecognized operation: " + target
                            + " (the stand-in implements GetProducts and DescribeServices)");
                };
                send(exchange, 200, JSON.writeValueAsBytes(answer));
            } catch (ApiError e) {
                error(exchange, 400, e.code, e.getMessage());
            }
        }
    }

    private ObjectNode getProducts(JsonNode body) {
        getProductsCalls.incrementAndGet();
        String serviceCode = body.path("ServiceCode").asText("");
        if (serviceCode.isEmpty()) {
            throw new ApiError("InvalidParameterException", "ServiceCode is required");
        }
        List<String> all = new ArrayList<>();
        if (SERVICE_CODE.equals(serviceCode)) {
            for (ObjectNode product : products()) {
                if (matches(product, body.path("Filters"))) {
                    all.add(product.toString());
                }
            }
            synchronized (this) {
                all.addAll(rawEntries);
            }
        }
        int requested = body.hasNonNull("MaxResults") ? body.path("MaxResults").asInt() : 100;
        if (requested < 1 || requested > 100) {
            throw new ApiError("InvalidParameterException", "MaxResults must be between 1 and 100");
        }
        int pageSize = Math.min(requested, maxPageSize);
        int offset = 0;
        if (body.hasNonNull("NextToken")) {
            offset = decodeToken(body.path("NextToken").asText());
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("FormatVersion", body.path("FormatVersion").asText("aws_v1"));
        ArrayNode priceList = answer.putArray("PriceList");
        int end = Math.min(all.size(), offset + pageSize);
        for (int i = offset; i < end; i++) {
            priceList.add(all.get(i)); // each entry is a JSON document serialized as a string, as AWS sends it
        }
        if (end < all.size()) {
            answer.put("NextToken", encodeToken(end));
        }
        return answer;
    }

    private ObjectNode describeServices(JsonNode body) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("FormatVersion", "aws_v1");
        String code = body.path("ServiceCode").asText(SERVICE_CODE);
        ArrayNode services = answer.putArray("Services");
        if (SERVICE_CODE.equals(code)) {
            ObjectNode s = services.addObject().put("ServiceCode", SERVICE_CODE);
            ArrayNode names = s.putArray("AttributeNames");
            for (String n : List.of("productFamily", "instanceName", "instanceType", "regionCode", "location",
                    "locationType", "usagetype", "operation", "component", "servicecode", "servicename", "vCpu",
                    "memory", "gpu", "gpuMemory", "computeType", "currentGeneration")) {
                names.add(n);
            }
        }
        return answer;
    }

    /** TERM_MATCH on product.attributes.&lt;Field&gt; (or productFamily / sku); unknown fields match nothing, as on AWS. */
    private static boolean matches(ObjectNode document, JsonNode filters) {
        JsonNode product = document.path("product");
        for (JsonNode f : filters) {
            String field = f.path("Field").asText();
            String value = f.path("Value").asText();
            String actual = switch (field) {
                case "productFamily" -> product.path("productFamily").asText(null);
                case "sku" -> product.path("sku").asText(null);
                default -> product.path("attributes").path(field).asText(null);
            };
            if (actual == null || !actual.equalsIgnoreCase(value)) {
                return false;
            }
        }
        return true;
    }

    private synchronized List<ObjectNode> products() {
        List<ObjectNode> out = new ArrayList<>();
        trainingPrices.forEach((region, byType) -> byType.forEach((type, usd) -> out.add(product(region, type, usd))));
        return out;
    }

    /** One SageMaker training product as the Price List publishes it. */
    private ObjectNode product(String region, String instanceType, BigDecimal usd) {
        String[] r = REGIONS.get(region);
        String usageType = r[1] + "-Train:" + instanceType;
        String sku = sku(usageType);
        String offer = "JRTCKXETXF"; // the on-demand offer term code AWS uses
        String rate = "6YS6EN2CT7";
        ObjectNode doc = JSON.createObjectNode();
        ObjectNode product = doc.putObject("product");
        product.put("productFamily", "ML Instance");
        ObjectNode a = product.putObject("attributes");
        a.put("regionCode", region);
        a.put("servicecode", SERVICE_CODE);
        a.put("usagetype", usageType);
        a.put("locationType", "AWS Region");
        a.put("location", r[0]);
        a.put("servicename", "Amazon SageMaker");
        a.put("instanceName", instanceType);
        a.put("instanceType", instanceType + "-Training");
        a.put("component", "Training");
        a.put("operation", "RunInstance");
        a.put("computeType", "GPU");
        a.put("currentGeneration", "Yes");
        product.put("sku", sku);
        doc.put("serviceCode", SERVICE_CODE);
        ObjectNode term = doc.putObject("terms").putObject("OnDemand").putObject(sku + "." + offer);
        ObjectNode dim = term.putObject("priceDimensions").putObject(sku + "." + offer + "." + rate);
        dim.put("unit", "Hrs");
        dim.put("endRange", "Inf");
        dim.put("description", String.format(Locale.ROOT, "$%s per On Demand Linux %s Training Instance Hour",
                usd.toPlainString(), instanceType));
        dim.putArray("appliesTo");
        dim.put("rateCode", sku + "." + offer + "." + rate);
        dim.put("beginRange", "0");
        dim.putObject("pricePerUnit").put("USD", usd.setScale(10).toPlainString());
        term.put("sku", sku);
        term.put("effectiveDate", publicationDate);
        term.put("offerTermCode", offer);
        term.putObject("termAttributes");
        doc.put("version", publicationDate.replaceAll("[^0-9]", "").substring(0, 14));
        doc.put("publicationDate", publicationDate);
        return doc;
    }

    /** 16 upper-case characters, stable per usage type (real SKUs look like this). */
    private static String sku(String usageType) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(usageType.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encodeToken(int offset) {
        return Base64.getEncoder().encodeToString(("offset:" + offset + ":" + UUID.randomUUID())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeToken(String token) {
        try {
            String[] parts = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).split(":");
            if (parts.length == 3 && parts[0].equals("offset")) {
                return Integer.parseInt(parts[1]);
            }
        } catch (IllegalArgumentException ignored) {
            // falls through to the error
        }
        throw new ApiError("InvalidNextTokenException", "The NextToken is invalid");
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("__type", code).put("message", message);
        exchange.getResponseHeaders().set("X-Amzn-ErrorType", code);
        send(exchange, status, JSON.writeValueAsBytes(body));
    }

    private static final class ApiError extends RuntimeException {
        final String code;

        ApiError(String code, String message) {
            super(message);
            this.code = code;
        }
    }
}
