// Pion DTLS v2 handshakes per CPU-second, for eddy's DTLS comparison (perf/results/dtls.md).
//
// Each handshake is a fresh Pion client and server over UDP loopback, as WebRTC runs them: ECDSA P-256
// certificates both ways (made once, reused), X25519, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, the
// extended master secret, use_srtp, no cookie round (Pion's server sends none by default). The process's CPU
// time (getrusage) over the measured handshakes gives client+server pairs per core; run it with
// GOMAXPROCS=1 to hold it to one core. Build and run with perf/peers/pion-dtls/run.sh.
package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/pion/dtls/v2"
	"github.com/pion/dtls/v2/pkg/crypto/selfsign"
)

func cpuNanos() int64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		panic(err)
	}
	return u.Utime.Nano() + u.Stime.Nano()
}

func config(cert tls.Certificate) *dtls.Config {
	return &dtls.Config{
		Certificates:           []tls.Certificate{cert},
		CipherSuites:           []dtls.CipherSuiteID{dtls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
		ExtendedMasterSecret:   dtls.RequireExtendedMasterSecret,
		ClientAuth:             dtls.RequireAnyClientCert,
		InsecureSkipVerify:     true, // WebRTC checks the signalled fingerprint, not a chain
		SRTPProtectionProfiles: []dtls.SRTPProtectionProfile{dtls.SRTP_AEAD_AES_128_GCM},
		FlightInterval:         time.Second,
	}
}

func handshake(serverCert, clientCert tls.Certificate) {
	listener, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		panic(err)
	}
	clientSocket, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	serverDone := make(chan error, 1)
	go func() {
		conn, err := dtls.ServerWithContext(ctx, &connectedUDP{listener, clientSocket.LocalAddr()}, config(serverCert))
		if err == nil {
			err = conn.Close()
		}
		serverDone <- err
	}()
	conn, err := dtls.ClientWithContext(ctx, &connectedUDP{clientSocket, listener.LocalAddr()}, config(clientCert))
	if err != nil {
		panic(err)
	}
	if err := <-serverDone; err != nil {
		panic(err)
	}
	_ = conn.Close()
	_ = listener.Close()
	_ = clientSocket.Close()
}

// connectedUDP is a UDP socket bound to one peer, as a net.Conn.
type connectedUDP struct {
	*net.UDPConn
	peer net.Addr
}

func (c *connectedUDP) Read(b []byte) (int, error) {
	n, _, err := c.UDPConn.ReadFrom(b)
	return n, err
}

func (c *connectedUDP) Write(b []byte) (int, error) {
	return c.UDPConn.WriteTo(b, c.peer)
}

func (c *connectedUDP) RemoteAddr() net.Addr {
	return c.peer
}

func main() {
	n := 2000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	serverCert, err := selfsign.GenerateSelfSigned()
	if err != nil {
		panic(err)
	}
	clientCert, err := selfsign.GenerateSelfSigned()
	if err != nil {
		panic(err)
	}
	for i := 0; i < n/4; i++ { // warm-up
		handshake(serverCert, clientCert)
	}
	cpu0 := cpuNanos()
	wall0 := time.Now()
	for i := 0; i < n; i++ {
		handshake(serverCert, clientCert)
	}
	cpu := float64(cpuNanos()-cpu0) / float64(n)
	wall := float64(time.Since(wall0).Nanoseconds()) / float64(n)
	fmt.Printf("pion dtls v2, %d handshakes: %.1f us CPU per pair (%.0f pairs per CPU-second), %.1f us wall per pair\n",
		n, cpu/1e3, 1e9/cpu, wall/1e3)
}
