package alerter

import (
	"context"
	"testing"
	"time"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/report"
)

// TestStatesAcrossProcesses plays two alerters on one state bucket: the first to
// claim a key delivers it, the other stays away while the claim is fresh, takes
// it over when it is stale, and neither raises a delivered alert again; new
// evidence replaces the alert (resolving the old one) and a scope evaluated
// without the key resolves it.
func TestStatesAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	b := testBus(t)
	kv, err := b.AlertStateKV(ctx)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	p1 := &states{kv: kv, owner: "p1", claimTTL: time.Minute, now: now}
	p2 := &states{kv: kv, owner: "p2", claimTTL: time.Minute, now: now}
	mk := func(id string) alert.Alert {
		key := alert.KeyFor(report.RuleR5, "某县人民政府", "2023", "col:total")
		return alert.Alert{ID: id, Key: key, Rule: report.RuleR5, Status: alert.StatusOpen, Body: "某县人民政府", Year: 2023}
	}
	scope := func(found ...alert.Alert) []Scope {
		return []Scope{{Prefix: ScopeRuleYear("R5", 2023), Found: found}}
	}
	reconcile := func(s *states, found ...alert.Alert) ([]alert.Alert, []claim, int) {
		t.Helper()
		d, c, busy, err := s.reconcile(ctx, scope(found...))
		if err != nil {
			t.Fatal(err)
		}
		return d, c, busy
	}

	d, c1, busy := reconcile(p1, mk("a"))
	if len(d) != 1 || d[0].ID != "a" || busy != 0 {
		t.Fatalf("p1: deliver %v busy %d", d, busy)
	}
	if d, _, busy := reconcile(p2, mk("a")); len(d) != 0 || busy != 1 {
		t.Fatalf("p2 during p1's claim: deliver %v busy %d", d, busy)
	}
	// p1 dies; after the claim TTL p2 takes over and delivers.
	clock = clock.Add(2 * time.Minute)
	d, c2, busy := reconcile(p2, mk("a"))
	if len(d) != 1 || busy != 0 {
		t.Fatalf("p2 after the TTL: deliver %v busy %d", d, busy)
	}
	if err := p2.commit(ctx, c2); err != nil {
		t.Fatal(err)
	}
	// p1's late commit must not overwrite p2's state.
	if err := p1.commit(ctx, c1); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*states{p1, p2} {
		if d, _, busy := reconcile(s, mk("a")); len(d) != 0 || busy != 0 {
			t.Fatalf("%s after delivery: deliver %v busy %d", s.owner, d, busy)
		}
	}
	// New evidence (another ID, same key): the old alert is resolved and the new raised.
	d, c, _ := reconcile(p1, mk("b"))
	if len(d) != 2 || d[0].ID != "a" || d[0].Status != alert.StatusResolved || d[0].ResolvedAt == nil || d[1].ID != "b" || d[1].Status != alert.StatusOpen {
		t.Fatalf("new evidence: %+v", d)
	}
	if err := p1.commit(ctx, c); err != nil {
		t.Fatal(err)
	}
	// A failed delivery releases the claim: the next run delivers at once.
	d, c, _ = reconcile(p2)
	if len(d) != 1 || d[0].ID != "b" || d[0].Status != alert.StatusResolved {
		t.Fatalf("resolution: %+v", d)
	}
	p2.release(ctx, c)
	d, c, busy = reconcile(p1)
	if len(d) != 1 || busy != 0 {
		t.Fatalf("after release: deliver %v busy %d", d, busy)
	}
	if err := p1.commit(ctx, c); err != nil {
		t.Fatal(err)
	}
	if d, _, _ := reconcile(p2); len(d) != 0 {
		t.Fatalf("resolved twice: %+v", d)
	}
	// Other scopes are untouched by this one's evaluation.
	if d, _, _, _ := p1.reconcile(ctx, []Scope{{Prefix: ScopeRuleYear("R5", 2022)}}); len(d) != 0 {
		t.Fatalf("another year's scope resolved %+v", d)
	}
}
