package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** {@link Candidate#parse} throws nothing but {@link CandidateFormatException}, and what it accepts round-trips. */
class CandidateFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parseRejectsCleanlyOrRoundTrips(byte[] data) {
        String line = new String(data, java.nio.charset.StandardCharsets.UTF_8);
        Candidate c;
        try {
            c = Candidate.parse(line);
        } catch (CandidateFormatException expected) {
            return;
        }
        assertEquals(c, Candidate.parse(c.toSdpString()));
    }
}
