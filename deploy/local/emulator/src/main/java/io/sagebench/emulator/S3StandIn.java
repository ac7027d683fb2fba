package io.sagebench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * An in-memory S3 for the objects sagebench writes (the launcher's content-addressed {@code sourcedir.tar.gz}), on the
 * REST/XML wire with path-style addressing ({@code /bucket/key}), reached with the unmodified AWS SDK v2 {@code S3Client}
 * ({@code forcePathStyle(true)}, {@code endpointOverride(endpoint())}).
 *
 * <p>Operations: PutObject (with {@code If-None-Match: *}), HeadObject, GetObject, HeadBucket, ListObjectsV2 (prefix,
 * max-keys, continuation-token, start-after, encoding-type). Bodies in the SDK's default {@code aws-chunked} encoding
 * (signed or unsigned chunks, trailing checksum) are decoded and their CRC32 / CRC32C / SHA-1 / SHA-256 and
 * {@code Content-MD5} verified. Buckets are fixed at start (others answer 404 NoSuchBucket). Signatures are not checked.
 *
 * <p>Admin, outside S3's namespace (bucket names cannot start with {@code _}): {@code GET /_emulator/health};
 * {@code GET /_emulator/outage} and {@code POST /_emulator/outage {"failing": true|false}} — while failing, every S3 call
 * answers 500 InternalError (the same switch as {@link #failing(boolean)}).
 */
public final class S3StandIn implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(S3StandIn.class.getName());
    private static final String XML = "application/xml";
    private static final String S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    /** Query parameters the SDK adds that change nothing ({@code x-id} names the operation). */
    private static final Set<String> IGNORED_OBJECT_PARAMS = Set.of("x-id");
    private static final Set<String> LIST_PARAMS =
            Set.of("list-type", "prefix", "max-keys", "continuation-token", "start-after", "encoding-type", "fetch-owner", "x-id");

    /** An object as stored: the decoded bytes and what S3 reports about them. */
    public record StoredObject(String bucket, String key, byte[] bytes, String etag, String contentType,
                               Instant lastModified, Map<String, String> userMetadata,
                               String checksumAlgorithm, String checksum) {
        /** The bytes as UTF-8 text, for tests that store text. */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ExecutorService httpExecutor;
    private final String host;
    private final Map<String, NavigableMap<String, StoredObject>> buckets = new ConcurrentHashMap<>();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicInteger puts = new AtomicInteger();
    private final AtomicInteger failedByOutage = new AtomicInteger();

    private S3StandIn(String host, int port, Collection<String> bucketNames) throws IOException {
        if (bucketNames.isEmpty()) throw new IllegalArgumentException("the S3 stand-in needs at least one bucket");
        for (String b : bucketNames) buckets.put(b, new ConcurrentSkipListMap<>());
        this.host = host;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        this.httpExecutor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "s3-stand-in-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(httpExecutor);
        server.createContext("/", this::handle);
    }

    /** Starts on {@code host:port} (port 0 = a free one) with exactly these buckets. */
    public static S3StandIn start(String host, int port, Collection<String> bucketNames) throws IOException {
        // Nagle's algorithm would hold each small answer ~40 ms (see SageMakerEmulator.start).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        S3StandIn standIn = new S3StandIn(host, port, List.copyOf(bucketNames));
        standIn.server.start();
        return standIn;
    }

    /** Starts on loopback, on a free port. */
    public static S3StandIn start(String... bucketNames) throws IOException {
        return start("127.0.0.1", 0, List.of(bucketNames));
    }

    /** The URL clients use ({@code endpointOverride}); a wildcard bind address is reached over loopback. */
    public URI endpoint() {
        String h = host;
        if (h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]")) h = "127.0.0.1";
        else if (h.contains(":") && !h.startsWith("[")) h = "[" + h + "]";
        return URI.create("http://" + h + ":" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What is stored under {@code bucket/key}, as the last successful PutObject left it. */
    public Optional<StoredObject> object(String bucket, String key) {
        NavigableMap<String, StoredObject> objects = buckets.get(bucket);
        return objects == null ? Optional.empty() : Optional.ofNullable(objects.get(key));
    }

    /** The keys in a bucket, in S3's (lexicographic) order; empty for an unknown bucket. */
    public List<String> keys(String bucket) {
        NavigableMap<String, StoredObject> objects = buckets.get(bucket);
        return objects == null ? List.of() : List.copyOf(objects.keySet());
    }

    /** Successful PutObject calls since start (an upload skipped because the object exists does not count). */
    public int putCount() {
        return puts.get();
    }

    /** While on, every S3 call answers 500 InternalError (an outage); admin calls still work. */
    public void failing(boolean on) {
        if (failing.getAndSet(on) != on) LOG.log(System.Logger.Level.INFO, "S3 stand-in outage " + (on ? "on" : "off"));
    }

    public boolean failing() {
        return failing.get();
    }

    /** S3 calls answered 500 because of {@link #failing(boolean)}. */
    public int failedByOutage() {
        return failedByOutage.get();
    }

    @Override
    public void close() {
        server.stop(0);
        httpExecutor.shutdownNow();
    }

    // ------------------------------------------------------------------ HTTP

    /** An S3 error answered on the wire: status, S3 error code, message, and the resource it is about. */
    private static final class S3Error extends RuntimeException {
        final int status;
        final String code;
        final String bucket;
        final String key;

        S3Error(int status, String code, String message, String bucket, String key) {
            super(message);
            this.status = status;
            this.code = code;
            this.bucket = bucket;
            this.key = key;
        }

        static S3Error noSuchBucket(String bucket) {
            return new S3Error(404, "NoSuchBucket", "The specified bucket does not exist", bucket, null);
        }

        static S3Error noSuchKey(String bucket, String key) {
            return new S3Error(404, "NoSuchKey", "The specified key does not exist.", bucket, key);
        }

        static S3Error notImplemented(String what) {
            return new S3Error(501, "NotImplemented", "The S3 stand-in does not implement " + what, null, null);
        }

        static S3Error badRequest(String code, String message) {
            return new S3Error(400, code, message, null, null);
        }

        static S3Error internal() {
            return new S3Error(500, "InternalError", "We encountered an internal error. Please try again.", null, null);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
        try (exchange) {
            exchange.getResponseHeaders().set("x-amz-request-id", requestId);
            exchange.getResponseHeaders().set("x-amz-id-2", requestId);
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/_emulator")) {
                handleAdmin(exchange, path);
                return;
            }
            try {
                if (failing.get()) {
                    exchange.getRequestBody().readAllBytes();
                    failedByOutage.incrementAndGet();
                    throw S3Error.internal();
                }
                dispatch(exchange, path);
            } catch (S3Error e) {
                sendError(exchange, requestId, e);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "S3 request " + exchange.getRequestMethod() + " " + path + " failed", e);
                sendError(exchange, requestId, S3Error.internal());
            }
        }
    }

    private void dispatch(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        String rest = path.startsWith("/") ? path.substring(1) : path;
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        if (bucket.isEmpty()) throw S3Error.notImplemented(method + " / (ListBuckets)");
        NavigableMap<String, StoredObject> objects = buckets.get(bucket);
        if (key.isEmpty()) {
            if (objects == null) throw S3Error.noSuchBucket(bucket);
            if (method.equals("HEAD")) {
                send(exchange, 200, new byte[0], null);
            } else if (method.equals("GET") && "2".equals(query.get("list-type"))) {
                rejectUnknown(query, LIST_PARAMS, "ListObjectsV2");
                send(exchange, 200, listObjectsV2(bucket, objects, query), XML);
            } else {
                throw S3Error.notImplemented(method + " on a bucket" + (query.isEmpty() ? "" : " with " + query.keySet())
                        + " (only HeadBucket and ListObjectsV2)");
            }
            return;
        }
        rejectUnknown(query, IGNORED_OBJECT_PARAMS, method + " on an object");
        switch (method) {
            case "PUT" -> putObject(exchange, bucket, key, objects);
            case "GET", "HEAD" -> {
                if (objects == null) throw S3Error.noSuchBucket(bucket);
                StoredObject object = objects.get(key);
                if (object == null) throw S3Error.noSuchKey(bucket, key);
                Headers h = exchange.getResponseHeaders();
                h.set("ETag", object.etag());
                h.set("Last-Modified", HTTP_DATE.format(object.lastModified()));
                h.set("Accept-Ranges", "bytes");
                object.userMetadata().forEach((name, value) -> h.set("x-amz-meta-" + name, value));
                if (object.checksum() != null
                        && "ENABLED".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("x-amz-checksum-mode"))) {
                    h.set("x-amz-checksum-" + object.checksumAlgorithm(), object.checksum());
                    h.set("x-amz-checksum-type", "FULL_OBJECT");
                }
                send(exchange, 200, object.bytes(), object.contentType());
            }
            default -> throw S3Error.notImplemented(method + " on an object");
        }
    }

    private void putObject(HttpExchange exchange, String bucket, String key,
                           NavigableMap<String, StoredObject> objects) throws IOException {
        Headers in = exchange.getRequestHeaders();
        byte[] raw = exchange.getRequestBody().readAllBytes();
        if (objects == null) throw S3Error.noSuchBucket(bucket);
        Map<String, String> trailers = new LinkedHashMap<>();
        byte[] bytes = isAwsChunked(in) ? decodeAwsChunked(raw, trailers) : raw;
        String decodedLength = in.getFirst("x-amz-decoded-content-length");
        if (decodedLength != null && Long.parseLong(decodedLength.trim()) != bytes.length) {
            throw S3Error.badRequest("IncompleteBody", "You did not provide the number of bytes specified by the "
                    + "x-amz-decoded-content-length header (" + decodedLength.trim() + "); got " + bytes.length);
        }
        String contentMd5 = in.getFirst("Content-MD5");
        if (contentMd5 != null && !contentMd5.equals(Base64.getEncoder().encodeToString(digest("MD5", bytes)))) {
            throw S3Error.badRequest("BadDigest", "The Content-MD5 you specified did not match what we received.");
        }
        String[] checksum = verifiedChecksum(in, trailers, bytes);
        Map<String, String> metadata = new LinkedHashMap<>();
        in.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amz-meta-") && !values.isEmpty()) metadata.put(lower.substring(11), values.get(0));
        });
        String contentType = in.getFirst("Content-Type");
        String etag = "\"" + HexFormat.of().formatHex(digest("MD5", bytes)) + "\"";
        StoredObject object = new StoredObject(bucket, key, bytes, etag,
                contentType == null ? "binary/octet-stream" : contentType, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                Map.copyOf(metadata), checksum == null ? null : checksum[0], checksum == null ? null : checksum[1]);
        boolean onlyIfAbsent = "*".equals(in.getFirst("If-None-Match"));
        if (onlyIfAbsent) {
            if (objects.putIfAbsent(key, object) != null) {
                throw new S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                        bucket, key);
            }
        } else {
            objects.put(key, object);
        }
        puts.incrementAndGet();
        exchange.getResponseHeaders().set("ETag", etag);
        if (checksum != null) exchange.getResponseHeaders().set("x-amz-checksum-" + checksum[0], checksum[1]);
        send(exchange, 200, new byte[0], null);
    }

    private static boolean isAwsChunked(Headers in) {
        String sha = in.getFirst("x-amz-content-sha256");
        String encoding = in.getFirst("Content-Encoding");
        return (sha != null && sha.startsWith("STREAMING-"))
                || (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("aws-chunked"));
    }

    /**
     * The {@code aws-chunked} body: {@code <hex size>[;chunk-signature=…]\r\n<bytes>\r\n} … {@code 0[;…]\r\n}, then
     * trailer lines {@code name:value\r\n} up to an empty line. Trailers go into {@code trailers}, lower-cased names.
     */
    static byte[] decodeAwsChunked(byte[] raw, Map<String, String> trailers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        int pos = 0;
        while (true) {
            int eol = lineEnd(raw, pos);
            String header = new String(raw, pos, eol - pos, StandardCharsets.US_ASCII);
            pos = eol + 2;
            int semicolon = header.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semicolon < 0 ? header : header.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw malformedChunk("bad chunk size '" + header + "'");
            }
            if (size < 0 || pos + size > raw.length) throw malformedChunk("chunk of " + size + " bytes overruns the body");
            if (size == 0) break;
            out.write(raw, pos, size);
            pos += size;
            if (pos + 2 > raw.length || raw[pos] != '\r' || raw[pos + 1] != '\n') throw malformedChunk("chunk not followed by CRLF");
            pos += 2;
        }
        while (pos < raw.length) {
            int eol = lineEnd(raw, pos);
            String line = new String(raw, pos, eol - pos, StandardCharsets.US_ASCII);
            pos = eol + 2;
            if (line.isEmpty()) break;
            int colon = line.indexOf(':');
            if (colon <= 0) throw malformedChunk("bad trailer line '" + line + "'");
            trailers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return out.toByteArray();
    }

    private static int lineEnd(byte[] raw, int from) {
        for (int i = from; i + 1 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n') return i;
        }
        throw malformedChunk("line without CRLF at byte " + from);
    }

    private static S3Error malformedChunk(String why) {
        return S3Error.badRequest("IncompleteBody", "Malformed aws-chunked body: " + why);
    }

    /**
     * The object's checksum as {algorithm, base64 value}, from a trailer or a header, verified against the bytes where
     * the JDK can compute it (CRC64NVME is stored unchecked); null when the request carried none.
     */
    private static String[] verifiedChecksum(Headers in, Map<String, String> trailers, byte[] bytes) {
        for (String algorithm : List.of("crc32", "crc32c", "sha1", "sha256", "crc64nvme")) {
            String name = "x-amz-checksum-" + algorithm;
            String claimed = trailers.getOrDefault(name, in.getFirst(name));
            if (claimed == null) continue;
            String actual = switch (algorithm) {
                case "crc32" -> crc(new CRC32(), bytes);
                case "crc32c" -> crc(new CRC32C(), bytes);
                case "sha1" -> Base64.getEncoder().encodeToString(digest("SHA-1", bytes));
                case "sha256" -> Base64.getEncoder().encodeToString(digest("SHA-256", bytes));
                default -> claimed;
            };
            if (!actual.equals(claimed)) {
                throw S3Error.badRequest("BadDigest", "The " + algorithm.toUpperCase(Locale.ROOT)
                        + " you specified did not match the calculated checksum.");
            }
            return new String[] {algorithm, claimed};
        }
        return null;
    }

    private static String crc(Checksum checksum, byte[] bytes) {
        checksum.update(bytes, 0, bytes.length);
        long v = checksum.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] listObjectsV2(String bucket, NavigableMap<String, StoredObject> objects, Map<String, String> q) {
        String prefix = q.getOrDefault("prefix", "");
        int maxKeys;
        try {
            maxKeys = Math.min(1000, Integer.parseInt(q.getOrDefault("max-keys", "1000")));
        } catch (NumberFormatException e) {
            throw S3Error.badRequest("InvalidArgument", "max-keys must be an integer");
        }
        if (maxKeys < 0) throw S3Error.badRequest("InvalidArgument", "max-keys must be 0 or more");
        boolean urlEncoded = "url".equals(q.get("encoding-type"));
        // The continuation token is the last key returned, so a listing resumes after it.
        String after = q.containsKey("continuation-token") ? q.get("continuation-token") : q.getOrDefault("start-after", "");
        List<StoredObject> page = new ArrayList<>();
        boolean truncated = false;
        for (StoredObject o : objects.tailMap(after, false).values()) {
            if (!o.key().startsWith(prefix)) {
                if (o.key().compareTo(prefix) > 0) break;
                continue;
            }
            if (page.size() == maxKeys) {
                truncated = true;
                break;
            }
            page.add(o);
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"")
                .append(S3_NS).append("\">");
        element(xml, "Name", bucket);
        element(xml, "Prefix", urlEncoded ? urlEncode(prefix) : prefix);
        element(xml, "KeyCount", String.valueOf(page.size()));
        element(xml, "MaxKeys", String.valueOf(maxKeys));
        if (urlEncoded) element(xml, "EncodingType", "url");
        element(xml, "IsTruncated", String.valueOf(truncated));
        if (q.containsKey("continuation-token")) element(xml, "ContinuationToken", q.get("continuation-token"));
        if (truncated && !page.isEmpty()) element(xml, "NextContinuationToken", page.get(page.size() - 1).key());
        for (StoredObject o : page) {
            xml.append("<Contents>");
            element(xml, "Key", urlEncoded ? urlEncode(o.key()) : o.key());
            element(xml, "LastModified", DateTimeFormatter.ISO_INSTANT.format(o.lastModified()));
            element(xml, "ETag", o.etag());
            element(xml, "Size", String.valueOf(o.bytes().length));
            element(xml, "StorageClass", "STANDARD");
            xml.append("</Contents>");
        }
        xml.append("</ListBucketResult>");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void element(StringBuilder xml, String name, String value) {
        xml.append('<').append(name).append('>').append(escape(value)).append("</").append(name).append('>');
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return q;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(name, value);
        }
        return q;
    }

    private static void rejectUnknown(Map<String, String> query, Set<String> known, String what) {
        List<String> unknown = query.keySet().stream().filter(k -> !known.contains(k)).toList();
        if (!unknown.isEmpty()) throw S3Error.notImplemented(what + " with " + unknown);
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        if (contentType != null) exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equals("HEAD")) {
            // A HEAD answer reports the length of the body a GET would carry, and carries none.
            exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** S3's XML error; a HEAD answer has the status only, as S3's does. */
    private static void sendError(HttpExchange exchange, String requestId, S3Error e) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(e.status, -1);
            return;
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>");
        element(xml, "Code", e.code);
        element(xml, "Message", e.getMessage());
        if (e.bucket != null) element(xml, "BucketName", e.bucket);
        if (e.key != null) element(xml, "Key", e.key);
        element(xml, "RequestId", requestId);
        element(xml, "HostId", requestId);
        xml.append("</Error>");
        send(exchange, e.status, xml.toString().getBytes(StandardCharsets.UTF_8), XML);
    }

    // ------------------------------------------------------------------ admin

    private void handleAdmin(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (method.equals("GET") && path.equals("/_emulator/health")) {
            sendJson(exchange, 200, "{\"status\":\"UP\"}");
        } else if (method.equals("GET") && path.equals("/_emulator/outage")) {
            sendJson(exchange, 200, outageView());
        } else if (method.equals("POST") && path.equals("/_emulator/outage")) {
            JsonNode failingNode;
            try {
                failingNode = SageMakerEmulator.JSON.readTree(body).path("failing");
            } catch (IOException e) {
                failingNode = null;
            }
            if (failingNode == null || !failingNode.isBoolean()) {
                sendJson(exchange, 400, "{\"message\":\"expected {\\\"failing\\\": true} or {\\\"failing\\\": false}\"}");
                return;
            }
            failing(failingNode.booleanValue());
            sendJson(exchange, 200, outageView());
        } else {
            sendJson(exchange, 404, "{\"message\":\"No admin endpoint " + method + " " + path.replace("\"", "")
                    + "; try GET /_emulator/health, GET or POST /_emulator/outage\"}");
        }
    }

    private String outageView() {
        return "{\"failing\":" + failing.get() + ",\"failedByOutage\":" + failedByOutage.get() + "}";
    }

    private static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
