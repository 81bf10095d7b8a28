package io.eddyrtc.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Remote candidates named by an mDNS name ({@code <uuid>.local}, as browsers hide their host addresses) until the
 * caller resolves the name: the agent cannot check an address it does not know, and resolving is I/O. Each name
 * is asked for once; a name resolved before resolves later candidates at once. What waits is capped like the
 * signalled candidates themselves ({@link IceConfig#maxRemoteCandidates()}), and so are the names remembered.
 */
final class PendingMdns {
    /** What became of a candidate offered. */
    enum Outcome {
        /** Waiting, and its name is new: ask the caller to resolve it. */
        ASK,
        /** Waiting for a name already asked for. */
        WAIT,
        /** The name was resolved before: {@link #known} gives the address. */
        KNOWN,
        OVER_LIMIT
    }

    private final int cap;
    private final List<Candidate> waiting = new ArrayList<>();
    private final Set<String> asked = new HashSet<>();
    private final Map<String, InetAddress> resolved = new HashMap<>();

    PendingMdns(int cap) {
        this.cap = cap;
    }

    Outcome add(Candidate candidate) {
        String name = key(candidate);
        if (resolved.containsKey(name)) {
            return Outcome.KNOWN;
        }
        if (waiting.size() >= cap) {
            return Outcome.OVER_LIMIT;
        }
        waiting.add(candidate);
        return asked.add(name) ? Outcome.ASK : Outcome.WAIT;
    }

    /** {@code candidate} at the address its name resolved to before (after {@link Outcome#KNOWN}). */
    Candidate known(Candidate candidate) {
        return candidate.withAddress(new InetSocketAddress(resolved.get(key(candidate)), candidate.address().getPort()));
    }

    /** The candidates waiting for {@code hostname}, now at {@code address}; empty if nothing waited for it. */
    List<Candidate> resolve(String hostname, InetAddress address) {
        String name = hostname.toLowerCase(Locale.ROOT);
        if (!asked.remove(name)) {
            return List.of(); // never asked for: not the caller's answer to us
        }
        if (resolved.size() < cap) {
            resolved.put(name, address);
        }
        List<Candidate> out = new ArrayList<>();
        waiting.removeIf(c -> {
            if (key(c).equals(name)) {
                out.add(c.withAddress(new InetSocketAddress(address, c.address().getPort())));
                return true;
            }
            return false;
        });
        return out;
    }

    /** The name could not be resolved: its candidates are dropped. */
    void unresolvable(String hostname) {
        String name = hostname.toLowerCase(Locale.ROOT);
        asked.remove(name);
        waiting.removeIf(c -> key(c).equals(name));
    }

    /** An ICE restart: the old generation's candidates are gone; resolved names stay good. */
    void clearWaiting() {
        waiting.clear();
        asked.clear();
    }

    private static String key(Candidate c) {
        return c.address().getHostString().toLowerCase(Locale.ROOT);
    }
}
