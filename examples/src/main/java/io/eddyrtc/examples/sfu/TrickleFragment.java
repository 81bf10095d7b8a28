package io.eddyrtc.examples.sfu;

import io.eddyrtc.ice.Candidate;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a trickle-ICE {@code PATCH} ({@code application/trickle-ice-sdpfrag}, RFC 8840): the ICE credentials
 * it names, its candidates, and whether it ends them. Lines it does not need ({@code m=}, {@code a=mid},
 * {@code a=group}) are passed over; a fragment carries at most {@value #MAX_CANDIDATES} candidates.
 *
 * @param ufrag     the fragment's {@code a=ice-ufrag}, or null
 * @param password  its {@code a=ice-pwd}, or null
 * @param candidates its {@code a=candidate} lines, parsed
 * @param end       whether it says {@code a=end-of-candidates}
 */
public record TrickleFragment(String ufrag, String password, List<Candidate> candidates, boolean end) {
    /** More than a browser gathers on any machine; a fragment with more is refused, not trimmed. */
    public static final int MAX_CANDIDATES = 64;

    public TrickleFragment {
        candidates = List.copyOf(candidates);
    }

    /**
     * Parses a fragment.
     *
     * @throws IllegalArgumentException naming the line that is wrong
     */
    public static TrickleFragment parse(String body) {
        String ufrag = null;
        String password = null;
        List<Candidate> candidates = new ArrayList<>();
        boolean end = false;
        for (String raw : body.split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("a=ice-ufrag:")) {
                ufrag = line.substring("a=ice-ufrag:".length());
            } else if (line.startsWith("a=ice-pwd:")) {
                password = line.substring("a=ice-pwd:".length());
            } else if (line.startsWith("a=candidate:")) {
                if (candidates.size() == MAX_CANDIDATES) {
                    throw new IllegalArgumentException("more than " + MAX_CANDIDATES + " candidates in one fragment");
                }
                candidates.add(Candidate.parse(line));
            } else if (line.equals("a=" + Candidate.END_OF_CANDIDATES)) {
                end = true;
            } else if (!line.isEmpty() && !(line.length() > 1 && line.charAt(1) == '=')) {
                throw new IllegalArgumentException("not an SDP line: " + line);
            }
        }
        return new TrickleFragment(ufrag, password, candidates, end);
    }
}
