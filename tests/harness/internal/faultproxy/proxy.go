package faultproxy

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"time"
)

// Proxy forwards to one upstream and injects the scheduled faults.
type Proxy struct {
	upstream  *url.URL
	transport *http.Transport
	reverse   *httputil.ReverseProxy
	st        state
}

// New makes a proxy to upstream; upstreamTLS is the client TLS config towards it (the harness CA), nil for http.
func New(upstream *url.URL, upstreamTLS *tls.Config) *Proxy {
	tr := &http.Transport{TLSClientConfig: upstreamTLS, ForceAttemptHTTP2: false, Proxy: nil,
		DialContext: (&net.Dialer{Timeout: 10 * time.Second}).DialContext, MaxIdleConnsPerHost: 16}
	p := &Proxy{upstream: upstream, transport: tr}
	p.reverse = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(upstream)
			r.Out.Host = upstream.Host
		},
		Transport:     tr,
		FlushInterval: -1, // watches stream event by event
		ErrorLog:      nil,
	}
	return p
}

// SetSchedule replaces the schedule and restarts every rule's count.
func (p *Proxy) SetSchedule(s *Schedule) {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	p.st.schedule = s
}

// Log returns a copy of the request log.
func (p *Proxy) Log() []Record {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	return append([]Record(nil), p.st.log...)
}

// ClearLog empties the request log.
func (p *Proxy) ClearLog() {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	p.st.log = nil
}

// statusReason is the Kubernetes StatusReason for a code (apimachinery errors.go), with a default message.
func statusReason(code int) (string, string) {
	switch code {
	case http.StatusTooManyRequests:
		return "TooManyRequests", "Too many requests, please try again later."
	case http.StatusInternalServerError:
		return "InternalError", "Internal error occurred: injected by the fault proxy"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable", "The server is currently unable to handle the request"
	case http.StatusGatewayTimeout:
		return "Timeout", "Timeout: request did not complete within the allotted timeout"
	case http.StatusConflict:
		return "Conflict", "Operation cannot be fulfilled: injected by the fault proxy"
	}
	return "", http.StatusText(code)
}

// StatusBody is the metav1.Status a fault of this code carries.
func StatusBody(r *Rule) []byte {
	reason, msg := statusReason(r.Code)
	if r.Message != "" {
		msg = r.Message
	}
	st := map[string]any{"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{},
		"status": "Failure", "message": msg, "reason": reason, "code": r.Code}
	if r.RetryAfter > 0 {
		st["details"] = map[string]any{"retryAfterSeconds": r.RetryAfter}
	}
	b, _ := json.Marshal(st)
	return b
}

// recordingWriter records a forwarded request when its status line is written, before the client can see the
// response, so a client that checks the log right after its request finds it there.
type recordingWriter struct {
	http.ResponseWriter
	record func(code int)
	done   bool
}

func (w *recordingWriter) WriteHeader(code int) {
	if !w.done {
		w.done = true
		w.record(code)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	if !w.done {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}
func (w *recordingWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	idx, rule := p.st.match(r.Method, r.URL.Path, r.URL.RawQuery)
	rec := Record{Time: time.Now().UTC(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Rule: idx}
	if rule == nil {
		rw := &recordingWriter{ResponseWriter: w, record: func(code int) { rec.Code = code; p.st.record(rec) }}
		p.reverse.ServeHTTP(rw, r)
		if !rw.done {
			p.st.record(rec) // the client went away before any response
		}
		return
	}
	rec.Fault = rule.Fault
	switch rule.Fault {
	case FaultStatus:
		rec.Code = rule.Code
		p.st.record(rec)
		w.Header().Set("Content-Type", "application/json")
		if rule.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(rule.RetryAfter))
		}
		w.WriteHeader(rule.Code)
		_, _ = w.Write(StatusBody(rule))
	case FaultReset:
		p.st.record(rec)
		reset(w)
	case FaultStall:
		rec.Code = http.StatusOK
		p.st.record(rec)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		select {
		case <-time.After(time.Duration(rule.StallSeconds) * time.Second):
		case <-r.Context().Done():
		}
		hangUp(w)
	case FaultTruncate:
		p.truncate(w, r, &rec)
	}
}

// truncate forwards the request, then sends the upstream headers with the full Content-Length and only the first
// half of the body before closing the connection.
func (p *Proxy) truncate(w http.ResponseWriter, r *http.Request, rec *Record) {
	out := r.Clone(context.WithoutCancel(r.Context()))
	out.URL.Scheme, out.URL.Host, out.Host, out.RequestURI = p.upstream.Scheme, p.upstream.Host, p.upstream.Host, ""
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		rec.Code = http.StatusBadGateway
		p.st.record(*rec)
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	rec.Code = resp.StatusCode
	p.st.record(*rec)
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.Header().Del("Transfer-Encoding")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, bytes.NewReader(body[:len(body)/2]))
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	hangUp(w)
}

// reset closes the client connection with SO_LINGER 0, so the peer sees a TCP RST ("connection reset by peer").
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	raw := conn
	if tc, ok := conn.(*tls.Conn); ok {
		raw = tc.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = raw.Close()
}

// hangUp closes the client connection after what was written so far.
func hangUp(w http.ResponseWriter) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if buf != nil {
		_ = buf.Flush()
	}
	_ = conn.Close()
}

// ControlHandler serves the control API: GET/PUT /schedule, GET/DELETE /log, GET /healthz.
func (p *Proxy) ControlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	mux.HandleFunc("/schedule", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			p.st.mu.Lock()
			s := p.st.schedule
			if s == nil {
				s = &Schedule{Rules: []*Rule{}}
			}
			b, _ := json.Marshal(s)
			p.st.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(b)
		case http.MethodPut, http.MethodPost:
			data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			s, err := ParseSchedule(data)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			p.SetSchedule(s)
			w.WriteHeader(http.StatusNoContent)
		case http.MethodDelete:
			p.SetSchedule(nil)
			w.WriteHeader(http.StatusNoContent)
		default:
			http.Error(w, "GET, PUT or DELETE", http.StatusMethodNotAllowed)
		}
	})
	mux.HandleFunc("/log", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			w.Header().Set("Content-Type", "application/json")
			log := p.Log()
			if log == nil {
				log = []Record{}
			}
			_ = json.NewEncoder(w).Encode(log)
		case http.MethodDelete:
			p.ClearLog()
			w.WriteHeader(http.StatusNoContent)
		default:
			http.Error(w, "GET or DELETE", http.StatusMethodNotAllowed)
		}
	})
	return mux
}

// Serve runs the proxy on l (TLS when tlsConfig is set; HTTP/1.1 only, so resets and stalls reach the client as
// such) until ctx ends.
func (p *Proxy) Serve(ctx context.Context, l net.Listener, tlsConfig *tls.Config) error {
	srv := &http.Server{Handler: p, TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
		ReadHeaderTimeout: 30 * time.Second}
	if tlsConfig != nil {
		cfg := tlsConfig.Clone()
		cfg.NextProtos = []string{"http/1.1"}
		l = tls.NewListener(l, cfg)
	}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		_ = srv.Close()
	}()
	err := srv.Serve(l)
	if err == http.ErrServerClosed {
		return nil
	}
	return fmt.Errorf("fault proxy: %w", err)
}
