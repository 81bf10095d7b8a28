package io.eddyrtc.sctp;

import io.eddyrtc.buffers.testkit.SansIoNode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** An SCTP association and its data channels on the virtual network (standing in for DTLS). */
final class SctpNode implements SansIoNode {
    final SctpAssociation sctp;
    final DataChannels channels;
    final InetSocketAddress address;
    final InetSocketAddress peer;
    final List<SctpEvent> sctpEvents = new ArrayList<>();
    final List<DataChannelEvent> channelEvents = new ArrayList<>();

    SctpNode(SctpAssociation sctp, boolean dtlsClient, InetSocketAddress address, InetSocketAddress peer) {
        this.sctp = sctp;
        this.channels = new DataChannels(sctp, dtlsClient);
        this.address = address;
        this.peer = peer;
    }

    @Override
    public void receive(long now, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
        sctp.handleReceive(now, datagram);
        collect(now);
    }

    @Override
    public void timeout(long now) {
        sctp.handleTimeout(now);
        collect(now);
    }

    @Override
    public long nextDeadline() {
        return sctp.nextDeadline();
    }

    @Override
    public void drainTransmits(long now, Transmitter out) {
        for (byte[] p; (p = Packets.poll(sctp)) != null; ) {
            out.send(address, peer, p);
        }
    }

    void collect(long now) {
        for (SctpEvent e; (e = sctp.pollEvent()) != null; ) {
            sctpEvents.add(e instanceof SctpEvent.Message m ? m.copy() : e); // messages are lent: keep a copy
            feed(now, e, channels);
        }
        for (DataChannelEvent e; (e = channels.pollEvent()) != null; ) {
            channelEvents.add(e instanceof DataChannelEvent.Message m ? m.copy() : e);
        }
    }

    /** Hands an association's event to its data channels, as the {@code Rtc} does. */
    static void feed(long now, SctpEvent e, DataChannels channels) {
        switch (e) {
            case SctpEvent.Message m -> channels.handle(now, m);
            case SctpEvent.StreamsReset r -> channels.handle(now, r);
            case SctpEvent.OutgoingStreamsReset r -> channels.handle(now, r);
            case SctpEvent.BufferedAmountLow low -> channels.handle(low);
            case SctpEvent.Connected c -> { }
            case SctpEvent.Closed c -> { }
        }
    }

    List<DataChannelEvent.Message> messages() {
        return channelEvents.stream().filter(e -> e instanceof DataChannelEvent.Message)
                .map(e -> (DataChannelEvent.Message) e).toList();
    }
}
