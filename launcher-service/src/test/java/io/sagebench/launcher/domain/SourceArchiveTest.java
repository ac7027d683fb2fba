package io.sagebench.launcher.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class SourceArchiveTest {
    private static final byte[] TRAIN = "print('hello')\n".getBytes(StandardCharsets.UTF_8);
    private static final String PINNED_SHA256 = "63f6167f9a0dfeb787df5055a58ca1bcb8106ae84dea730e3038405b49f170b2";
    private static final byte[] REQUIREMENTS = "evaluate==0.4.1\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void equalContentGivesEqualBytesWhateverTheOrderOrTheBuild() {
        Map<String, byte[]> one = new LinkedHashMap<>();
        one.put("train.py", TRAIN);
        one.put("requirements.txt", REQUIREMENTS);
        Map<String, byte[]> other = new LinkedHashMap<>();
        other.put("requirements.txt", REQUIREMENTS.clone());
        other.put("train.py", TRAIN.clone());

        SourceArchive a = SourceArchive.of(one);
        SourceArchive b = SourceArchive.of(other);
        assertArrayEquals(a.bytes(), b.bytes());
        assertEquals(a.sha256(), b.sha256());
        assertArrayEquals(SourceArchive.fromClasspath("training").bytes(),
                SourceArchive.fromClasspath("training").bytes(), "the jar's archive is the same on every build");
        // Pinned: a tar/gzip change that made equal code give other bytes would re-upload on every release.
        assertEquals(PINNED_SHA256, a.sha256());
    }

    @Test
    void otherContentGivesAnotherKey() {
        SourceArchive a = SourceArchive.of(Map.of("train.py", TRAIN));
        SourceArchive b = SourceArchive.of(Map.of("train.py", "print('bye')\n".getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(a.sha256(), b.sha256());
        assertEquals("code/sourcedir-" + a.sha256() + "/sourcedir.tar.gz", a.key("/code/"));
        assertEquals("s3://b/p/q/sourcedir-" + a.sha256() + "/sourcedir.tar.gz", a.s3Uri("b", "p/q"));
    }

    @Test
    void entriesCarryNoTimeOwnerOrModeOfTheMachineThatBuiltThem() throws IOException {
        byte[] bytes = SourceArchive.of(Map.of("train.py", TRAIN, "requirements.txt", REQUIREMENTS)).bytes();
        // gzip header: no mtime (bytes 4-7) and no file name flag
        assertEquals(0, bytes[3]);
        assertEquals(0, bytes[4] | bytes[5] | bytes[6] | bytes[7]);
        List<String> names = new ArrayList<>();
        try (var tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(bytes)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                names.add(e.getName());
                assertEquals(SourceArchive.FIXED_MTIME.toMillis(), e.getModTime().getTime());
                assertEquals(0, e.getLongUserId());
                assertEquals(0, e.getLongGroupId());
                assertEquals("root", e.getUserName());
                assertEquals(0100644, e.getMode());
                byte[] content = tar.readAllBytes();
                assertArrayEquals(e.getName().equals("train.py") ? TRAIN : REQUIREMENTS, content);
            }
        }
        assertEquals(List.of("requirements.txt", "train.py"), names, "sorted by name");
    }

    @Test
    void theJarsArchiveHoldsTrainPy() {
        SourceArchive archive = SourceArchive.fromClasspath(SourceArchive.SOURCE_DIR);
        assertEquals("train.py", archive.entries().get(0));
        assertNull(SourceArchive.class.getClassLoader().getResource("training/missing.py"));
    }
}
