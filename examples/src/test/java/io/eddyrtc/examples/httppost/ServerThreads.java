package io.eddyrtc.examples.httppost;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The JVM's platform threads, to show that a server starts none per peer or per offer. */
public final class ServerThreads {
    private ServerThreads() {
    }

    /** The live platform threads now. */
    public static Set<Thread> snapshot() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /**
     * Live platform threads that were not there {@code before}, leaving out the JDK's own: the HTTP client's
     * workers, and the carriers and I/O pollers of the HTTP server's virtual threads, which come and go with load.
     */
    public static List<String> startedSince(Set<Thread> before) {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (!before.contains(t) && t.isAlive() && !name.startsWith("HttpClient-") && !name.startsWith("ForkJoinPool")
                    && !name.endsWith("Poller")) {
                names.add(name);
            }
        }
        return names;
    }
}
