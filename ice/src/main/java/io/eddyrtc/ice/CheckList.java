package io.eddyrtc.ice;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The check list (RFC 8445 §6.1.2): pairs by descending priority, at most {@code maxPairs} of them,
 * and the triggered-check queue (§6.1.4.1) that jumps ahead of the ordinary ones. Which pair to check
 * next is decided here; each pair keeps its own transaction state.
 */
final class CheckList {
    private final int maxPairs;
    private final List<CandidatePair> pairs = new ArrayList<>();
    private final ArrayDeque<CandidatePair> triggered = new ArrayDeque<>();

    CheckList(int maxPairs) {
        this.maxPairs = maxPairs;
    }

    int size() {
        return pairs.size();
    }

    boolean isEmpty() {
        return pairs.isEmpty();
    }

    boolean isFull() {
        return pairs.size() >= maxPairs;
    }

    CandidatePair get(int index) {
        return pairs.get(index);
    }

    List<CandidatePair> snapshot() {
        return List.copyOf(pairs);
    }

    CandidatePair find(InetSocketAddress localBase, InetSocketAddress remote, TransportProtocol protocol) {
        for (int i = 0; i < pairs.size(); i++) {
            CandidatePair p = pairs.get(i);
            if (p.joins(localBase, remote, protocol)) {
                return p;
            }
        }
        return null;
    }

    /** Inserts a new pair in priority order; the caller has checked it is not there and the list is not full. */
    CandidatePair insert(Candidate local, Candidate remote, boolean controlling) {
        CandidatePair pair = new CandidatePair(local, remote, controlling);
        int at = 0;
        while (at < pairs.size() && pairs.get(at).priority() >= pair.priority()) {
            at++;
        }
        pairs.add(at, pair);
        return pair;
    }

    /** The pair whose connectivity or consent check has this transaction id, or null. */
    CandidatePair byTransaction(int txHigh, long txLow) {
        for (int i = 0; i < pairs.size(); i++) {
            CandidatePair p = pairs.get(i);
            if (p.isCheckTransaction(txHigh, txLow) || p.isConsentTransaction(txHigh, txLow)) {
                return p;
            }
        }
        return null;
    }

    /** Whether {@code tx} is a pair's last transaction, ended: an answer to it comes late. */
    boolean isEndedTransaction(int txHigh, long txLow) {
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).isEndedTransaction(txHigh, txLow)) {
                return true;
            }
        }
        return false;
    }

    /** Re-sorts by the pair priorities of our new role. */
    void reorder(boolean controlling) {
        for (CandidatePair p : pairs) {
            p.computePriority(controlling);
        }
        pairs.sort((a, b) -> Long.compareUnsigned(b.priority(), a.priority()));
    }

    /** Queues a triggered check behind the others already queued (once per pair). */
    void trigger(CandidatePair pair) {
        if (!pair.queuedAsTriggered) {
            pair.queuedAsTriggered = true;
            triggered.add(pair);
        }
    }

    /** Queues a triggered check ahead of every other (a nomination should not wait). */
    void triggerFirst(CandidatePair pair) {
        if (!pair.queuedAsTriggered) {
            pair.queuedAsTriggered = true;
            triggered.addFirst(pair);
        }
    }

    /** The next pair to check: a triggered one first, else the best WAITING pair without a check in flight. */
    CandidatePair nextToCheck() {
        while (!triggered.isEmpty()) {
            CandidatePair t = triggered.poll();
            t.queuedAsTriggered = false;
            if (pairs.contains(t)) {
                return t;
            }
        }
        for (int i = 0; i < pairs.size(); i++) {
            CandidatePair c = pairs.get(i);
            if (c.isWaiting() && !c.checkInFlight()) {
                return c;
            }
        }
        return null;
    }

    /** A check is ready to go: something triggered or a pair still WAITING. */
    boolean hasWaitingWork() {
        if (!triggered.isEmpty()) {
            return true;
        }
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).isWaiting()) {
                return true;
            }
        }
        return false;
    }

    /** Some pair is WAITING or IN_PROGRESS. */
    boolean checksPending() {
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).isPending()) {
                return true;
            }
        }
        return false;
    }

    boolean allFailed() {
        for (int i = 0; i < pairs.size(); i++) {
            if (!pairs.get(i).isFailed()) {
                return false;
            }
        }
        return true;
    }

    /** The earliest retransmission any pair waits for, or {@code Long.MAX_VALUE}. */
    long nextRetransmitAt() {
        long d = Long.MAX_VALUE;
        for (int i = 0; i < pairs.size(); i++) {
            d = Math.min(d, pairs.get(i).nextRetransmitAt());
        }
        return d;
    }

    /** Pairs whose local candidate is a passive TCP one: each is a connection the peer opened to us. */
    int passiveTcpPairs() {
        int n = 0;
        for (int i = 0; i < pairs.size(); i++) {
            Candidate local = pairs.get(i).local;
            if (local.transport() == TransportProtocol.TCP && local.tcpType() == TcpType.PASSIVE) {
                n++;
            }
        }
        return n;
    }

    void clear() {
        pairs.clear();
        triggered.clear();
    }
}
