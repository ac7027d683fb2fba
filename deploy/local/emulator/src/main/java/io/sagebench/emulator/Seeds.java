package io.sagebench.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic random streams derived from the emulator seed and a stable name (job name, purpose). */
final class Seeds {
    private Seeds() {
    }

    static Random random(long seed, String... parts) {
        long h = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        for (String part : parts) {
            for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
                h = (h ^ b) * 0x100000001B3L;
            }
            h = Long.rotateLeft(h, 17) * 0xBF58476D1CE4E5B9L;
        }
        return new Random(h ^ (h >>> 31));
    }
}
