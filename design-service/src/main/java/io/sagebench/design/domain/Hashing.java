package io.sagebench.design.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 hashes a design's identities are built on. */
public final class Hashing {

    private Hashing() {
    }

    public static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A non-negative 31-bit seed derived from the design id, recorded with the design. */
    public static long derivedRandomSeed(String designId) {
        return Long.parseLong(sha256Hex("random-seed:" + designId).substring(0, 8), 16) & 0x7fffffffL;
    }
}
