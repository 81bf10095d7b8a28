package io.eddyrtc.buffers.testkit;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A seeded, discrete-event datagram network in virtual time, shared by every test that moves packets
 * between sans-I/O endpoints (ICE, DTLS, SCTP, whole {@code Rtc}s).
 *
 * <p>Nodes attach at one or more socket addresses. Each directed pair of addresses is a link with
 * {@link LinkConditions} (latency, jitter, loss, bursts, duplication, reordering, rate limit with a
 * bounded queue, MTU, blocking); pairs without their own conditions use the default. Time only moves
 * when the network runs: it jumps to the earliest pending delivery or node deadline, delivers or fires
 * what is due, collects what nodes transmit, and repeats. Every random choice comes from one
 * {@link Random} seeded at construction, so a run is repeatable from its seed; {@link #toString()}
 * names it, so put the network in assertion messages.
 *
 * <p>By default every step asks every node for its deadline, so a test may call into a node at any time.
 * A simulation of thousands of nodes calls {@link #trackDeadlines()} instead: the network then keeps the
 * nodes' deadlines in a queue and asks only the nodes it touched.
 *
 * <p>Test code, not thread-safe, allocation-happy by design.
 */
public final class VirtualNetwork {
    /** Iterations at one instant after which a node is taken to be asking for timeouts forever. */
    private static final int MAX_EVENTS_AT_ONE_INSTANT = 1_000_000;

    private final long seed;
    private final Random random;
    private final Map<InetSocketAddress, SansIoNode> routes = new HashMap<>();
    private final Map<SansIoNode, List<InetSocketAddress>> nodes = new LinkedHashMap<>();
    private final Map<Direction, Link> links = new HashMap<>();
    private final PriorityQueue<Delivery> inFlight = new PriorityQueue<>();
    private final LinkStats totals = new LinkStats();
    private LinkConditions defaults = LinkConditions.perfect();
    private long now;
    private long deliverySequence;
    /** Set by {@link #trackDeadlines()}: deadlines come from {@link #wakes}, not from asking every node. */
    private boolean trackDeadlines;
    private final PriorityQueue<Wake> wakes = new PriorityQueue<>();
    /** The deadline each node last reported; a wake for any other time is stale. */
    private final Map<SansIoNode, Long> deadlineOf = new IdentityHashMap<>();
    /** Nodes given a datagram or a timeout in this step: only they can have changed. */
    private final Set<SansIoNode> touched = new LinkedHashSet<>();

    public VirtualNetwork(long seed) {
        this(seed, 0);
    }

    /** A network whose clock starts at {@code startNanos} (some components dislike time zero). */
    public VirtualNetwork(long seed, long startNanos) {
        this.seed = seed;
        this.random = new Random(seed);
        this.now = startNanos;
    }

    public long seed() {
        return seed;
    }

    /** The virtual time in nanoseconds. */
    public long now() {
        return now;
    }

    /** The random source of this network, for tests that want more seeded choices in the same run. */
    public Random random() {
        return random;
    }

    /** Attaches {@code node} at each of {@code addresses}; datagrams to them are delivered to it. */
    public VirtualNetwork attach(SansIoNode node, InetSocketAddress... addresses) {
        for (InetSocketAddress address : addresses) {
            SansIoNode previous = routes.putIfAbsent(address, node);
            if (previous != null && previous != node) {
                throw new IllegalArgumentException(address + " is already attached to another node");
            }
            nodes.computeIfAbsent(node, n -> new ArrayList<>()).add(address);
        }
        if (addresses.length == 0) {
            nodes.computeIfAbsent(node, n -> new ArrayList<>());
        }
        return this;
    }

    /** Detaches {@code address}: datagrams to it are then unroutable (a NIC going away). */
    public VirtualNetwork detach(InetSocketAddress address) {
        SansIoNode node = routes.remove(address);
        if (node != null) {
            nodes.get(node).remove(address);
        }
        return this;
    }

    /**
     * Promises that a node changes only when this network delivers to it or fires its timeout, or when the
     * test calls into it between runs (each run starts by asking every node once). The network then keeps
     * the nodes' deadlines in a queue and, per step, drains and asks only the nodes it touched: a step
     * costs O(log n) instead of O(n), which is what lets a simulation run thousands of nodes. A node's
     * event handlers must then not call into other nodes.
     */
    public VirtualNetwork trackDeadlines() {
        this.trackDeadlines = true;
        return this;
    }

    /** Conditions for every link that has none of its own. */
    public VirtualNetwork defaultConditions(LinkConditions conditions) {
        this.defaults = conditions;
        links.values().removeIf(link -> !link.own);
        return this;
    }

    /** Conditions for datagrams from {@code from} to {@code to} (one direction). */
    public VirtualNetwork conditions(InetSocketAddress from, InetSocketAddress to, LinkConditions conditions) {
        Link link = link(new Direction(from, to));
        link.conditions = conditions;
        link.own = true;
        return this;
    }

    /** The same conditions both ways between {@code a} and {@code b}. */
    public VirtualNetwork conditionsBothWays(InetSocketAddress a, InetSocketAddress b, LinkConditions conditions) {
        return conditions(a, b, conditions).conditions(b, a, conditions);
    }

    /** Puts a datagram on the wire now, as if {@code from} had sent it. */
    public void send(InetSocketAddress from, InetSocketAddress to, byte[] datagram) {
        Link link = link(new Direction(from, to));
        LinkConditions c = link.conditions;
        link.stats.sent++;
        totals.sent++;
        if (c.blocked()) {
            drop(link, Drop.BLOCKED);
            return;
        }
        if (datagram.length > c.mtu()) {
            drop(link, Drop.MTU);
            return;
        }
        // Loss is decided before queueing: a lost datagram still used the sender's link in reality,
        // but the tests care about what arrives, and this keeps the rate limiter honest about backlog.
        boolean lost = random.nextDouble() < c.loss();
        if (c.bursts() != null) {
            lost |= link.burstLoss(c.bursts(), random);
        }
        long departure = now;
        if (c.rateBitsPerSecond() > 0) {
            long start = Math.max(now, link.busyUntil);
            long backlogBytes = (start - now) * c.rateBitsPerSecond() / 8 / 1_000_000_000L;
            if (backlogBytes + datagram.length > c.queueBytes()) {
                drop(link, Drop.QUEUE);
                return;
            }
            long serialisation = datagram.length * 8L * 1_000_000_000L / c.rateBitsPerSecond();
            link.busyUntil = start + serialisation;
            departure = link.busyUntil;
        }
        if (lost) {
            drop(link, Drop.LOSS);
            return;
        }
        long arrival = departure + c.latencyNanos() + jitter(c);
        if (c.reorder() > 0 && random.nextDouble() < c.reorder()) {
            arrival += c.reorderDelayNanos();
            link.stats.reordered++;
            totals.reordered++;
        }
        schedule(arrival, from, to, datagram, link);
        if (c.duplicate() > 0 && random.nextDouble() < c.duplicate()) {
            link.stats.duplicated++;
            totals.duplicated++;
            schedule(arrival + jitter(c) + 1, from, to, datagram.clone(), link);
        }
    }

    /** Advances time to {@code until}, delivering and firing everything due by then. */
    public void runUntil(long until) {
        runUntil(() -> false, until);
    }

    /** Advances time by {@code nanos}. */
    public void runFor(long nanos) {
        runUntil(now + nanos);
    }

    /**
     * Runs until {@code done} holds (checked after every step) or time would pass {@code until}.
     *
     * @return whether {@code done} held
     */
    public boolean runUntil(BooleanSupplier done, long until) {
        int atThisInstant = 0;
        collectTransmits();
        while (!done.getAsBoolean()) {
            long next = nextEventTime();
            if (next > until) {
                now = Math.max(now, until);
                return false;
            }
            if (next <= now) {
                if (++atThisInstant > MAX_EVENTS_AT_ONE_INSTANT) {
                    throw new IllegalStateException("no progress at t=" + now + "ns: a node keeps asking for a timeout at the current time (" + this + ")");
                }
            } else {
                atThisInstant = 0;
                now = next;
            }
            step();
        }
        return true;
    }

    /** Counters over all links. */
    public LinkStats totals() {
        return totals;
    }

    /** Counters of the link from {@code from} to {@code to}. */
    public LinkStats stats(InetSocketAddress from, InetSocketAddress to) {
        return link(new Direction(from, to)).stats;
    }

    /** Datagrams sent but not yet delivered. */
    public int inFlight() {
        return inFlight.size();
    }

    @Override
    public String toString() {
        return "VirtualNetwork[seed=" + seed + ", t=" + now + "ns, " + totals + "]";
    }

    private void step() {
        if (trackDeadlines) {
            trackedStep();
            return;
        }
        deliverDue();
        for (SansIoNode node : nodes.keySet()) {
            if (node.nextDeadline() <= now) {
                node.timeout(now);
            }
        }
        collectTransmits();
    }

    /** Delivers every datagram due now; with tracked deadlines, notes the nodes it reached. */
    private void deliverDue() {
        while (!inFlight.isEmpty() && inFlight.peek().at <= now) {
            Delivery d = inFlight.poll();
            SansIoNode node = routes.get(d.to);
            if (node == null) {
                d.link.stats.unroutable++;
                totals.unroutable++;
                continue;
            }
            d.link.stats.delivered++;
            totals.delivered++;
            node.receive(now, d.from, d.to, d.datagram);
            if (trackDeadlines) {
                touched.add(node);
            }
        }
    }

    /** A step that touches only the nodes with a delivery or a deadline now, then re-reads their deadlines. */
    private void trackedStep() {
        deliverDue();
        while (!wakes.isEmpty() && wakes.peek().at <= now) {
            Wake w = wakes.poll();
            if (isCurrent(w)) {
                deadlineOf.remove(w.node);
                w.node.timeout(now);
                touched.add(w.node);
            }
        }
        for (SansIoNode node : touched) {
            node.drainTransmits(now, this::send);
            reread(node);
        }
        touched.clear();
    }

    private boolean isCurrent(Wake w) {
        Long known = deadlineOf.get(w.node);
        return known != null && known == w.at;
    }

    /** Asks {@code node} for its deadline and queues a wake if it changed. */
    private void reread(SansIoNode node) {
        long deadline = node.nextDeadline();
        Long known = deadlineOf.get(node);
        if (known != null && known == deadline) {
            return;
        }
        if (deadline == Long.MAX_VALUE) {
            deadlineOf.remove(node);
            return;
        }
        deadlineOf.put(node, deadline);
        wakes.add(new Wake(deadline, deliverySequence++, node));
    }

    private void collectTransmits() {
        for (SansIoNode node : List.copyOf(nodes.keySet())) {
            node.drainTransmits(now, this::send);
            if (trackDeadlines) {
                reread(node); // the test may have called into it since the last run
            }
        }
    }

    private long nextEventTime() {
        long next = inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peek().at;
        if (trackDeadlines) {
            while (!wakes.isEmpty() && !isCurrent(wakes.peek())) {
                wakes.poll();
            }
            return wakes.isEmpty() ? next : Math.min(next, wakes.peek().at);
        }
        for (SansIoNode node : nodes.keySet()) {
            next = Math.min(next, node.nextDeadline());
        }
        return next;
    }

    private long jitter(LinkConditions c) {
        return c.jitterNanos() == 0 ? 0 : (long) (random.nextDouble() * c.jitterNanos());
    }

    private void schedule(long at, InetSocketAddress from, InetSocketAddress to, byte[] datagram, Link link) {
        inFlight.add(new Delivery(at, deliverySequence++, from, to, datagram, link));
    }

    private void drop(Link link, Drop why) {
        switch (why) {
            case LOSS -> {
                link.stats.lost++;
                totals.lost++;
            }
            case QUEUE -> {
                link.stats.queueDropped++;
                totals.queueDropped++;
            }
            case MTU -> {
                link.stats.mtuDropped++;
                totals.mtuDropped++;
            }
            case BLOCKED -> {
                link.stats.blocked++;
                totals.blocked++;
            }
        }
    }

    private Link link(Direction direction) {
        return links.computeIfAbsent(direction, d -> new Link(defaults));
    }

    private enum Drop { LOSS, QUEUE, MTU, BLOCKED }

    /** A node's deadline in the queue of {@link #trackDeadlines()}; stale once the node reports another. */
    private record Wake(long at, long sequence, SansIoNode node) implements Comparable<Wake> {
        @Override
        public int compareTo(Wake o) {
            int byTime = Long.compare(at, o.at);
            return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
        }
    }

    private record Direction(InetSocketAddress from, InetSocketAddress to) {
    }

    private static final class Link {
        LinkConditions conditions;
        boolean own;
        long busyUntil;
        boolean bad;
        final LinkStats stats = new LinkStats();

        Link(LinkConditions conditions) {
            this.conditions = conditions;
        }

        boolean burstLoss(GilbertElliott model, Random random) {
            double flip = bad ? model.pBadToGood() : model.pGoodToBad();
            if (random.nextDouble() < flip) {
                bad = !bad;
            }
            return random.nextDouble() < (bad ? model.lossInBad() : model.lossInGood());
        }
    }

    private record Delivery(long at, long sequence, InetSocketAddress from, InetSocketAddress to, byte[] datagram, Link link)
            implements Comparable<Delivery> {
        @Override
        public int compareTo(Delivery o) {
            int byTime = Long.compare(at, o.at);
            return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
        }
    }

    /** What happened to datagrams on a link (or on all links). */
    public static final class LinkStats {
        public long sent;
        public long delivered;
        public long lost;
        public long duplicated;
        public long reordered;
        public long queueDropped;
        public long mtuDropped;
        public long blocked;
        public long unroutable;

        @Override
        public String toString() {
            return "sent=" + sent + " delivered=" + delivered + " lost=" + lost + " dup=" + duplicated + " reordered=" + reordered
                    + " queueDropped=" + queueDropped + " mtuDropped=" + mtuDropped + " blocked=" + blocked + " unroutable=" + unroutable;
        }
    }
}
