package io.eddyrtc.buffers;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A {@link SocketAddressView} of an {@link InetSocketAddress}, for code that has one already: simulations on the
 * virtual network, tests, loops on a {@code DatagramChannel}. {@link #set} reads the address's bytes once
 * (which allocates, as {@link InetAddress#getAddress()} does); reading the view afterwards does not, and
 * {@link #toInetSocketAddress()} gives back the very object set.
 */
public final class InetSocketAddressView implements SocketAddressView {
    private InetSocketAddress address;
    private boolean ipv4;
    private int v4;
    private long high;
    private long low;

    /** A view of {@code address}, which must be resolved. */
    public static InetSocketAddressView of(InetSocketAddress address) {
        return new InetSocketAddressView().set(address);
    }

    /** Views {@code address} (resolved) from now on. */
    public InetSocketAddressView set(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("resolve the address first: " + address);
        }
        byte[] bytes = ip.getAddress();
        this.address = address;
        this.ipv4 = ip instanceof Inet4Address;
        this.v4 = ipv4 ? (int) BigEndian.u32(bytes, 0) : 0;
        this.high = ipv4 ? 0 : BigEndian.u64(bytes, 0);
        this.low = ipv4 ? 0 : BigEndian.u64(bytes, 8);
        return this;
    }

    @Override
    public boolean isIpv4() {
        return ipv4;
    }

    @Override
    public int ipv4() {
        return v4;
    }

    @Override
    public long ipv6High() {
        return high;
    }

    @Override
    public long ipv6Low() {
        return low;
    }

    @Override
    public int port() {
        return address.getPort();
    }

    /** The address last {@link #set}, not a copy. */
    @Override
    public InetSocketAddress toInetSocketAddress() {
        return address;
    }

    @Override
    public String toString() {
        return "InetSocketAddressView[" + address + "]";
    }
}
