package io.eddyrtc.buffers.testkit;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
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
        }
        for (SansIoNode node : nodes.keySet()) {
            if (node.nextDeadline() <= now) {
                node.timeout(now);
            }
        }
        collectTransmits();
    }

    private void collectTransmits() {
        for (SansIoNode node : List.copyOf(nodes.keySet())) {
            node.drainTransmits(now, this::send);
        }
    }

    private long nextEventTime() {
        long next = inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peek().at;
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
