// Package faultproxy is a reverse proxy that stands between a client and the API server and injects faults on a
// schedule a test sets: Status errors (429 with Retry-After, 500, 503, 504), connection resets, stalled responses
// and truncated bodies. It records every request and what it did to it, so a test can assert both.
package faultproxy

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Fault kinds.
const (
	FaultStatus   = "status"   // answer with a Kubernetes Status error of Code (429, 500, 503, 504, ...)
	FaultReset    = "reset"    // close the connection with a TCP RST before any response byte
	FaultStall    = "stall"    // send the response headers, then nothing for StallSeconds, then close
	FaultTruncate = "truncate" // forward, then send only the first half of the body (Content-Length of the whole)
)

// Rule says: requests matching Method and Path, counted from 1 for this rule, get Fault from the From-th to the
// To-th match (To 0: only the From-th; To -1: every match from From on).
type Rule struct {
	Method       string `json:"method,omitempty"` // "" or "*": any method
	Path         string `json:"path"`             // Go regexp matched against the URL path (no query)
	Query        string `json:"query,omitempty"`  // optional Go regexp matched against the raw query
	From         int    `json:"from,omitempty"`   // default 1
	To           int    `json:"to,omitempty"`
	Fault        string `json:"fault"`
	Code         int    `json:"code,omitempty"`         // FaultStatus: HTTP status
	RetryAfter   int    `json:"retryAfter,omitempty"`   // FaultStatus: Retry-After seconds (0: no header)
	Message      string `json:"message,omitempty"`      // FaultStatus: Status message (default per code)
	StallSeconds int    `json:"stallSeconds,omitempty"` // FaultStall: default 30

	pathRE, queryRE *regexp.Regexp
	seen            int
}

// Schedule is the document the control endpoint and the --schedule file take.
type Schedule struct {
	Rules []*Rule `json:"rules"`
}

// Record is what the proxy did with one request.
type Record struct {
	Seq    int       `json:"seq"`
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Query  string    `json:"query,omitempty"`
	Rule   int       `json:"rule"`            // index of the rule that fired, -1 when forwarded untouched
	Fault  string    `json:"fault,omitempty"` // "" when forwarded
	Code   int       `json:"code"`            // status sent or received from upstream (0: none, e.g. reset)
}

// ParseSchedule validates a schedule document.
func ParseSchedule(data []byte) (*Schedule, error) {
	var s Schedule
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	for i, r := range s.Rules {
		if r == nil {
			return nil, fmt.Errorf("schedule: rules[%d]: null rule", i)
		}
		var err error
		if r.pathRE, err = regexp.Compile(r.Path); err != nil {
			return nil, fmt.Errorf("schedule: rules[%d].path: %w", i, err)
		}
		if r.Query != "" {
			if r.queryRE, err = regexp.Compile(r.Query); err != nil {
				return nil, fmt.Errorf("schedule: rules[%d].query: %w", i, err)
			}
		}
		if r.From == 0 {
			r.From = 1
		}
		if r.To < -1 || (r.To > 0 && r.To < r.From) {
			return nil, fmt.Errorf("schedule: rules[%d]: to (%d) must be -1, 0 or >= from (%d)", i, r.To, r.From)
		}
		switch r.Fault {
		case FaultStatus:
			if r.Code < 400 || r.Code > 599 {
				return nil, fmt.Errorf("schedule: rules[%d]: status fault needs code 400..599, got %d", i, r.Code)
			}
		case FaultStall:
			if r.StallSeconds == 0 {
				r.StallSeconds = 30
			}
		case FaultReset, FaultTruncate:
		default:
			return nil, fmt.Errorf("schedule: rules[%d]: unknown fault %q (status, reset, stall, truncate)", i, r.Fault)
		}
	}
	return &s, nil
}

// state is the live schedule and the request log.
type state struct {
	mu       sync.Mutex
	schedule *Schedule
	log      []Record
}

// match counts the request against every rule it matches and returns the first rule that fires now.
func (s *state) match(method, path, query string) (int, *Rule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.schedule == nil {
		return -1, nil
	}
	fired, firedRule := -1, (*Rule)(nil)
	for i, r := range s.schedule.Rules {
		if r.Method != "" && r.Method != "*" && !strings.EqualFold(r.Method, method) {
			continue
		}
		if !r.pathRE.MatchString(path) || (r.queryRE != nil && !r.queryRE.MatchString(query)) {
			continue
		}
		r.seen++
		active := r.seen == r.From || (r.seen > r.From && (r.To == -1 || r.seen <= r.To))
		if active && firedRule == nil {
			fired, firedRule = i, r
		}
	}
	return fired, firedRule
}

func (s *state) record(rec Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec.Seq = len(s.log) + 1
	s.log = append(s.log, rec)
}
