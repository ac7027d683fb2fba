package io.sagebench.launcher.domain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The estimator's {@code sourcedir.tar.gz}: the training source directory as a gzipped tar whose bytes depend only on
 * the files' names and content (sorted entries, fixed mtime, owner root:root, mode 0644, gzip header without a time or
 * name), so equal code always gives the same SHA-256 and so the same S3 key, and a build never uploads it twice.
 */
public final class SourceArchive {
    /** Where the source directory ships inside the jar. */
    public static final String SOURCE_DIR = "training";
    /** The files of the source directory: the entry point and, if present, the extra pip requirements. */
    static final List<String> SOURCE_FILES = List.of("train.py", "requirements.txt");
    /** 1980-01-01, the reproducible-builds convention for "no meaningful time". */
    static final FileTime FIXED_MTIME = FileTime.from(Instant.parse("1980-01-01T00:00:00Z"));
    public static final String FILE_NAME = "sourcedir.tar.gz";

    private final byte[] bytes;
    private final String sha256;
    private final List<String> entries;

    private SourceArchive(byte[] bytes, List<String> entries) {
        this.bytes = bytes;
        this.entries = entries;
        this.sha256 = sha256(bytes);
    }

    /** The archive of {@code files} (name relative to the source directory -> content). */
    public static SourceArchive of(Map<String, byte[]> files) {
        var sorted = new TreeMap<>(files);
        var out = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(out); var tar = new TarArchiveOutputStream(gzip)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var file : sorted.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                entry.setMode(0100644);
                entry.setLastModifiedTime(FIXED_MTIME);
                entry.setIds(0, 0);
                entry.setNames("root", "root");
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tar the training source", e);
        }
        return new SourceArchive(out.toByteArray(), List.copyOf(sorted.keySet()));
    }

    /** The source directory as it ships in the jar ({@code training/train.py}, optional requirements.txt). */
    public static SourceArchive fromClasspath(String dir) {
        Map<String, byte[]> files = new TreeMap<>();
        ClassLoader loader = SourceArchive.class.getClassLoader();
        for (String name : SOURCE_FILES) {
            try (InputStream in = loader.getResourceAsStream(dir + "/" + name)) {
                if (in != null) {
                    files.put(name, in.readAllBytes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + dir + "/" + name, e);
            }
        }
        if (!files.containsKey("train.py")) {
            throw new IllegalStateException(dir + "/train.py is missing from the classpath");
        }
        return of(files);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int size() {
        return bytes.length;
    }

    public String sha256() {
        return sha256;
    }

    public List<String> entries() {
        return entries;
    }

    /** The content-addressed key: {@code <prefix>/sourcedir-<sha256>/sourcedir.tar.gz}. */
    public String key(String prefix) {
        String p = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        return (p.isEmpty() ? "" : p + "/") + "sourcedir-" + sha256 + "/" + FILE_NAME;
    }

    public String s3Uri(String bucket, String prefix) {
        return "s3://" + bucket + "/" + key(prefix);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
