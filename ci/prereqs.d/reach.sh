# ChromiumIceTcpTest (examples) runs Chromium in a network namespace whose UDP nftables drops (ip from iproute2);
# ChromiumBandwidthTest and ChatSimulcastTest run it in one behind a tc tbf bottleneck (tc from iproute2).
need_deb nftables iproute2
