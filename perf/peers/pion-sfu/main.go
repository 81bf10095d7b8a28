// A minimal WHIP/WHEP forwarder on Pion WebRTC v3, the comparison for eddy's SFU (perf/results/sfu.md).
//
// It speaks what ./eddy sfu speaks, as far as the load generator uses it: POST application/sdp to /whip/ROOM
// (one publisher per room) or /whep/ROOM gives 201 with the answer (candidates gathered in) and a Location;
// DELETE on the Location ends the session. It is Pion as its examples build a broadcast server: one
// TrackLocalStaticRTP per room and kind, every publisher packet read from its TrackRemote and written to it, which
// sends it to each player with that player's SSRC and payload type; the default codecs and interceptors (NACK,
// RTCP reports, TWCC); all peers on one UDP port (an ICE UDP mux), as eddy runs them on one socket; a PLI to the
// publisher when a player connects and whenever a player asks. Simulcast: only the layer with rid "f" (or none)
// is forwarded. Build and run with perf/peers/pion-sfu/run.sh.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v3"
)

type room struct {
	mu        sync.Mutex
	video     *webrtc.TrackLocalStaticRTP
	audio     *webrtc.TrackLocalStaticRTP
	publisher *webrtc.PeerConnection
	videoSSRC uint32
}

type server struct {
	api      *webrtc.API
	mu       sync.Mutex
	rooms    map[string]*room
	sessions map[string]*webrtc.PeerConnection
}

func newRoom(name string) *room {
	video, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "video", name)
	if err != nil {
		panic(err)
	}
	audio, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, "audio", name)
	if err != nil {
		panic(err)
	}
	return &room{video: video, audio: audio}
}

func (s *server) room(name string) *room {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rooms[name]
	if r == nil {
		r = newRoom(name)
		s.rooms[name] = r
	}
	return r
}

// askKeyframe sends the room's publisher a PLI for its video.
func (r *room) askKeyframe() {
	r.mu.Lock()
	pc, ssrc := r.publisher, r.videoSSRC
	r.mu.Unlock()
	if pc != nil && ssrc != 0 {
		_ = pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: ssrc}})
	}
}

func (s *server) publish(r *room, pc *webrtc.PeerConnection) error {
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
		if _, err := pc.AddTransceiverFromKind(kind, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			return err
		}
	}
	pc.OnTrack(func(remote *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		if remote.RID() != "" && remote.RID() != "f" {
			return
		}
		local := r.audio
		if remote.Kind() == webrtc.RTPCodecTypeVideo {
			local = r.video
			r.mu.Lock()
			r.videoSSRC = uint32(remote.SSRC())
			r.mu.Unlock()
		}
		buf := make([]byte, 1500)
		for {
			n, _, err := remote.Read(buf)
			if err != nil {
				return
			}
			if _, err := local.Write(buf[:n]); err != nil && err != io.ErrClosedPipe {
				return
			}
		}
	})
	r.mu.Lock()
	r.publisher = pc
	r.mu.Unlock()
	return nil
}

func (s *server) play(r *room, pc *webrtc.PeerConnection) error {
	for _, track := range []*webrtc.TrackLocalStaticRTP{r.audio, r.video} {
		sender, err := pc.AddTrack(track)
		if err != nil {
			return err
		}
		go func() { // RTCP from the player: the interceptors need it read; PLIs go to the publisher
			for {
				packets, _, err := sender.ReadRTCP()
				if err != nil {
					return
				}
				for _, p := range packets {
					if _, ok := p.(*rtcp.PictureLossIndication); ok {
						r.askKeyframe()
					}
				}
			}
		}()
	}
	pc.OnConnectionStateChange(func(state webrtc.PeerConnectionState) {
		if state == webrtc.PeerConnectionStateConnected {
			r.askKeyframe()
		}
	})
	return nil
}

func (s *server) handle(w http.ResponseWriter, req *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	parts := strings.Split(strings.Trim(req.URL.Path, "/"), "/")
	if len(parts) < 2 || (parts[0] != "whip" && parts[0] != "whep") {
		http.Error(w, "POST to /whip/ROOM or /whep/ROOM", http.StatusNotFound)
		return
	}
	switch {
	case req.Method == http.MethodPost && len(parts) == 2:
		s.create(w, req, parts[0] == "whip", parts[1])
	case req.Method == http.MethodDelete && len(parts) == 3:
		s.mu.Lock()
		pc := s.sessions[parts[2]]
		delete(s.sessions, parts[2])
		s.mu.Unlock()
		if pc == nil {
			http.Error(w, "no such session", http.StatusNotFound)
			return
		}
		s.mu.Lock()
		if r := s.rooms[parts[1]]; r != nil {
			r.mu.Lock()
			if r.publisher == pc {
				r.publisher = nil
			}
			r.mu.Unlock()
		}
		s.mu.Unlock()
		_ = pc.Close()
		w.WriteHeader(http.StatusOK)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (s *server) create(w http.ResponseWriter, req *http.Request, publishing bool, name string) {
	if !strings.HasPrefix(req.Header.Get("Content-Type"), "application/sdp") {
		http.Error(w, "send application/sdp", http.StatusUnsupportedMediaType)
		return
	}
	offer, err := io.ReadAll(io.LimitReader(req.Body, 256<<10))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r := s.room(name)
	pc, err := s.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if publishing {
		err = s.publish(r, pc)
	} else {
		err = s.play(r, pc)
	}
	if err == nil {
		err = pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: string(offer)})
	}
	var answer webrtc.SessionDescription
	if err == nil {
		answer, err = pc.CreateAnswer(nil)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err == nil {
		err = pc.SetLocalDescription(answer)
	}
	if err != nil {
		_ = pc.Close()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	<-gathered
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	session := hex.EncodeToString(id)
	s.mu.Lock()
	s.sessions[session] = pc
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/sdp")
	w.Header().Set("Location", fmt.Sprintf("/%s/%s/%s", map[bool]string{true: "whip", false: "whep"}[publishing], name, session))
	w.WriteHeader(http.StatusCreated)
	_, _ = io.WriteString(w, pc.LocalDescription().SDP)
}

func main() {
	httpAddr := flag.String("http", "127.0.0.1:3001", "where WHIP and WHEP are served")
	udpAddr := flag.String("udp", "127.0.0.1:0", "the one UDP socket every peer shares")
	flag.Parse()

	media := &webrtc.MediaEngine{}
	if err := media.RegisterDefaultCodecs(); err != nil {
		log.Fatal(err)
	}
	interceptors := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(media, interceptors); err != nil {
		log.Fatal(err)
	}
	udp, err := net.ListenPacket("udp4", *udpAddr)
	if err != nil {
		log.Fatal(err)
	}
	settings := webrtc.SettingEngine{}
	settings.SetICEUDPMux(webrtc.NewICEUDPMux(nil, udp))
	settings.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	settings.SetIncludeLoopbackCandidate(true)
	host := udp.LocalAddr().(*net.UDPAddr).IP.String()
	settings.SetNAT1To1IPs([]string{host}, webrtc.ICECandidateTypeHost)
	s := &server{
		api:      webrtc.NewAPI(webrtc.WithMediaEngine(media), webrtc.WithInterceptorRegistry(interceptors), webrtc.WithSettingEngine(settings)),
		rooms:    map[string]*room{},
		sessions: map[string]*webrtc.PeerConnection{},
	}
	fmt.Printf("pion-sfu: WHIP/WHEP on http://%s, media on udp %s, pid %d\n", *httpAddr, udp.LocalAddr(), os.Getpid())
	log.Fatal(http.ListenAndServe(*httpAddr, http.HandlerFunc(s.handle)))
}
