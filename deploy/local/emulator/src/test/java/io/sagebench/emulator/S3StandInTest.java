package io.sagebench.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The S3 stand-in driven by the unmodified S3Client with default settings (aws-chunked uploads, CRC32 trailers). */
class S3StandInTest {

    private static final String BUCKET = "sagemaker-us-east-1-000000000000";
    private static S3StandIn s3;
    private static final AtomicReference<SdkHttpRequest> lastPut = new AtomicReference<>();
    private static S3Client client;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3StandIn.start(BUCKET, "other-bucket");
        client = client();
    }

    @AfterAll
    static void stop() {
        client.close();
        s3.close();
    }

    @AfterEach
    void outageOff() {
        s3.failing(false);
    }

    /**
     * Default S3 settings apart from path style and the endpoint. URLConnection: the Apache client needs commons-logging,
     * which the build leaves out (the launcher's ITs drive the stand-in through its Apache-based client).
     */
    private static S3Client client() {
        var builder = S3Client.builder()
                .endpointOverride(s3.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        if (context.httpRequest().method().name().equals("PUT")) lastPut.set(context.httpRequest());
                    }
                }));
        return builder.httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private static String md5Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 300_000})   // 300 KB = more than two of the SDK's 128 KiB chunks
    void aChunkedUploadWithATrailingChecksumIsStoredAndReadBack(int size) throws Exception {
        S3Client c = client;
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        String key = "code/" + size + "/sourcedir.tar.gz";

        PutObjectResponse put = c.putObject(b -> b.bucket(BUCKET).key(key).contentType("application/gzip")
                .metadata(Map.of("sha256", "abc")), RequestBody.fromInputStream(new ByteArrayInputStream(bytes), bytes.length));

        SdkHttpRequest wire = lastPut.get();
        assertTrue(wire.firstMatchingHeader("x-amz-content-sha256").orElse("").startsWith("STREAMING-"),
                "the SDK sent an aws-chunked body: " + wire.headers());
        assertTrue(wire.firstMatchingHeader("x-amz-trailer").isPresent(), "with a trailing checksum: " + wire.headers());
        String etag = "\"" + md5Hex(bytes) + "\"";
        assertEquals(etag, put.eTag());
        S3StandIn.StoredObject stored = s3.object(BUCKET, key).orElseThrow();
        assertArrayEquals(bytes, stored.bytes());
        assertEquals("application/gzip", stored.contentType());
        assertEquals(Map.of("sha256", "abc"), stored.userMetadata());
        assertEquals("crc32", stored.checksumAlgorithm());

        HeadObjectResponse head = c.headObject(b -> b.bucket(BUCKET).key(key));
        assertEquals(bytes.length, head.contentLength());
        assertEquals(etag, head.eTag());
        assertEquals("abc", head.metadata().get("sha256"));

        // checksum mode on: the SDK validates the stored CRC32 against the bytes it reads
        ResponseBytes<GetObjectResponse> got = c.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
        assertArrayEquals(bytes, got.asByteArray());
        assertEquals(stored.checksum(), got.response().checksumCRC32());
        assertEquals("application/gzip", got.response().contentType());
    }

    @Test
    void anEmptyObjectAndATextObjectRoundTrip() {
        client.putObject(b -> b.bucket(BUCKET).key("empty"), RequestBody.empty());
        client.putObject(b -> b.bucket(BUCKET).key("dir/hello world.txt"), RequestBody.fromString("hello"));

        assertEquals(0, s3.object(BUCKET, "empty").orElseThrow().bytes().length);
        assertEquals(0L, client.headObject(b -> b.bucket(BUCKET).key("empty")).contentLength());
        assertEquals("hello", s3.object(BUCKET, "dir/hello world.txt").orElseThrow().text());
        assertEquals("hello", client.getObjectAsBytes(b -> b.bucket(BUCKET).key("dir/hello world.txt")).asUtf8String());
    }

    @Test
    void missingKeysAndUnknownBucketsAnswer404InS3sFormat() {
        assertThrows(NoSuchKeyException.class, () -> client.headObject(b -> b.bucket(BUCKET).key("nope")));
        NoSuchKeyException get = assertThrows(NoSuchKeyException.class,
                () -> client.getObjectAsBytes(b -> b.bucket(BUCKET).key("nope")));
        assertEquals(404, get.statusCode());
        assertEquals("NoSuchKey", get.awsErrorDetails().errorCode());

        NoSuchBucketException put = assertThrows(NoSuchBucketException.class,
                () -> client.putObject(b -> b.bucket("not-configured").key("k"), RequestBody.fromString("x")));
        assertEquals("NoSuchBucket", put.awsErrorDetails().errorCode());
        assertThrows(NoSuchBucketException.class, () -> client.getObjectAsBytes(b -> b.bucket("not-configured").key("k")));
        assertThrows(NoSuchBucketException.class, () -> client.headBucket(b -> b.bucket("not-configured")));
        client.headBucket(b -> b.bucket("other-bucket"));
        assertTrue(s3.keys("not-configured").isEmpty());
    }

    @Test
    void ifNoneMatchStarLeavesAnExistingObjectAlone() {
        client.putObject(b -> b.bucket("other-bucket").key("once"), RequestBody.fromString("first"));
        int puts = s3.putCount();
        S3Exception e = assertThrows(S3Exception.class, () -> client.putObject(
                b -> b.bucket("other-bucket").key("once").ifNoneMatch("*"), RequestBody.fromString("second")));
        assertEquals(412, e.statusCode());
        assertEquals("PreconditionFailed", e.awsErrorDetails().errorCode());
        assertEquals("first", s3.object("other-bucket", "once").orElseThrow().text());
        assertEquals(puts, s3.putCount());
    }

    @Test
    void listObjectsV2PagesThroughAPrefix() {
        for (String k : List.of("list/a", "list/b c", "list/d", "listing", "zz")) {
            client.putObject(b -> b.bucket("other-bucket").key(k), RequestBody.fromString(k));
        }
        ListObjectsV2Response first = client.listObjectsV2(b -> b.bucket("other-bucket").prefix("list/").maxKeys(2));
        assertEquals(List.of("list/a", "list/b c"), first.contents().stream().map(S3Object::key).toList());
        assertTrue(first.isTruncated());
        ListObjectsV2Response second = client.listObjectsV2(b -> b.bucket("other-bucket").prefix("list/").maxKeys(2)
                .continuationToken(first.nextContinuationToken()));
        assertEquals(List.of("list/d"), second.contents().stream().map(S3Object::key).toList());
        assertFalse(second.isTruncated());
        assertEquals(6L, second.contents().get(0).size());

        List<String> all = client.listObjectsV2Paginator(b -> b.bucket("other-bucket").prefix("list"))
                .contents().stream().map(S3Object::key).toList();
        assertEquals(List.of("list/a", "list/b c", "list/d", "listing"), all);
    }

    @Test
    void anOutageAnswers500InternalErrorUntilSwitchedOffOverTheAdminEndpoint() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> on = http.send(HttpRequest.newBuilder(s3.endpoint().resolve("/_emulator/outage"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"failing\": true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, on.statusCode());
        assertTrue(s3.failing());

        int failedBefore = s3.failedByOutage();
        S3Exception e = assertThrows(S3Exception.class,
                () -> client.putObject(b -> b.bucket(BUCKET).key("during-outage"), RequestBody.fromString("x")));
        assertEquals(500, e.statusCode());
        assertEquals("InternalError", e.awsErrorDetails().errorCode());
        assertTrue(s3.failedByOutage() > failedBefore, "the SDK's attempts (retries included) reached the stand-in");
        assertTrue(s3.object(BUCKET, "during-outage").isEmpty(), "nothing stored during an outage");

        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(s3.endpoint().resolve("/_emulator/outage"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"failing\": \"maybe\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertTrue(s3.failing(), "a bad admin request changes nothing");

        http.send(HttpRequest.newBuilder(s3.endpoint().resolve("/_emulator/outage"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"failing\": false}")).build(), HttpResponse.BodyHandlers.ofString());
        client.putObject(b -> b.bucket(BUCKET).key("after-outage"), RequestBody.fromString("x"));
        assertEquals("x", s3.object(BUCKET, "after-outage").orElseThrow().text());
    }

    @Test
    void aWrongTrailingChecksumIsRejectedWithBadDigestAndNothingStored() throws Exception {
        byte[] data = "some bytes".getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(data);
        String body = Integer.toHexString(data.length) + "\r\n" + new String(data, StandardCharsets.UTF_8) + "\r\n0\r\n"
                + "x-amz-checksum-crc32:AAAAAA==\r\n\r\n";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(s3.endpoint().resolve("/" + BUCKET + "/corrupt"))
                .header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                .header("Content-Encoding", "aws-chunked")
                .header("x-amz-decoded-content-length", String.valueOf(data.length))
                .header("x-amz-trailer", "x-amz-checksum-crc32")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("<Code>BadDigest</Code>"), r.body());
        assertTrue(s3.object(BUCKET, "corrupt").isEmpty());
    }

    @Test
    void signedChunksAndTheirTrailerSignatureDecode() {
        String body = "5;chunk-signature=aaaa\r\nhello\r\n6;chunk-signature=bbbb\r\n world\r\n0;chunk-signature=cccc\r\n"
                + "x-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:dddd\r\n\r\n";
        Map<String, String> trailers = new LinkedHashMap<>();
        byte[] decoded = S3StandIn.decodeAwsChunked(body.getBytes(StandardCharsets.US_ASCII), trailers);
        assertEquals("hello world", new String(decoded, StandardCharsets.UTF_8));
        assertEquals(Map.of("x-amz-checksum-crc32", "DUoRhQ==", "x-amz-trailer-signature", "dddd"), trailers);
    }

    @Test
    void aTruncatedChunkedBodyIsRejected() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(s3.endpoint().resolve("/" + BUCKET + "/short"))
                .header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                .PUT(HttpRequest.BodyPublishers.ofString("10\r\nonly a few")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("<Code>IncompleteBody</Code>"), r.body());
        assertFalse(r.body().contains("Exception"), "no Java internals in the error: " + r.body());
    }
}
