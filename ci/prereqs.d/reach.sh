# ChromiumIceTcpTest (examples) runs Chromium in a network namespace whose UDP nftables drops (ip from iproute2).
need_deb nftables iproute2
