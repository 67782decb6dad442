package pdftext

import (
	"fmt"
	"math"
	"testing"
)

// line builds a text line of size-10 characters from runs, each a string placed at
// an x position (characters 10 points wide, as text places them).
func line(y float64, runs ...any) *textLine {
	l := &textLine{y: y, size: 10}
	for i := 0; i+1 < len(runs); i += 2 {
		l.chars = append(l.chars, text(runs[i+1].(string), runs[i].(float64), y)...)
	}
	return l
}

func roundStops(xs []float64) string {
	var out []string
	for _, x := range xs {
		out = append(out, fmt.Sprintf("%.1f", x))
	}
	return fmt.Sprint(out)
}

func TestTabStops(t *testing.T) {
	tests := []struct {
		name  string
		lines []*textLine
		want  string
	}{
		{
			name:  "no aligned text",
			lines: []*textLine{line(700, 50.0, "一二三四五"), line(688, 50.0, "六七八")},
			want:  "[]",
		},
		{
			name: "a start after a wide gap in three lines is a stop",
			lines: []*textLine{
				line(700, 50.0, "规章", 120.0, "0"),
				line(688, 50.0, "行政许可", 120.2, "3"),
				line(676, 50.0, "行政处罚", 119.8, "7"),
			},
			want: "[120.0]",
		},
		{
			name: "two lines are not enough",
			lines: []*textLine{
				line(700, 50.0, "规章", 120.0, "0"),
				line(688, 50.0, "行政许可", 120.0, "3"),
			},
			want: "[]",
		},
		{
			name: "a start after a narrow gap does not count",
			lines: []*textLine{
				line(700, 50.0, "规章", 75.0, "0"),
				line(688, 50.0, "行政", 75.0, "3"),
				line(676, 50.0, "行政", 75.0, "7"),
			},
			want: "[]",
		},
		{
			name: "evenly spaced stops are completed between the first and the last",
			lines: []*textLine{
				line(700, 50.0, "甲", 85.0, "1", 155.0, "2", 190.0, "3"),
				line(688, 50.0, "乙", 85.0, "1", 155.0, "2", 190.0, "3"),
				line(676, 50.0, "丙", 85.0, "1", 155.0, "2", 190.0, "3"),
			},
			want: "[85.0 120.0 155.0 190.0]",
		},
		{
			name: "unevenly spaced stops are left as found",
			lines: []*textLine{
				line(700, 50.0, "甲", 85.0, "1", 150.0, "2", 230.0, "3"),
				line(688, 50.0, "乙", 85.0, "1", 150.0, "2", 230.0, "3"),
				line(676, 50.0, "丙", 85.0, "1", 150.0, "2", 230.0, "3"),
			},
			want: "[85.0 150.0 230.0]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := roundStops(tabStops(tt.lines)); got != tt.want {
				t.Errorf("tabStops = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestEvenStopsHostile(t *testing.T) {
	for _, stops := range [][]float64{
		{math.NaN(), 10, 20, 30},
		{0, 10, math.Inf(1)},
		{0, 0.5, 1e9},
	} {
		if got := evenStops(stops); len(got) != len(stops) {
			t.Errorf("evenStops(%v) = %v, want it unchanged", stops, got)
		}
	}
}

func TestLineTextAtStops(t *testing.T) {
	stops := []float64{120, 155, 190}
	tests := []struct {
		name  string
		line  *textLine
		stops []float64
		want  string
	}{
		{
			name: "a label ending just short of a stop is a cell",
			// 行政事业性收费 ends 0.9 short of the stop at 120: the tab leaves a gap of 0.9.
			line:  line(700, 49.1, "行政事业性收费", 120.0, "16", 190.0, "+1"),
			stops: stops,
			want:  "行政事业性收费\t16\t+1",
		},
		{
			name:  "without stops the small gap is nothing",
			line:  line(700, 49.1, "行政事业性收费", 120.0, "16", 190.0, "+1"),
			stops: nil,
			want:  "行政事业性收费16\t+1",
		},
		{
			name:  "a wide gap is a tab anywhere",
			line:  line(700, 50.0, "规章", 100.0, "0"),
			stops: stops,
			want:  "规章\t0",
		},
		{
			name:  "text set without a gap runs over a stop",
			line:  line(700, 50.0, "信息内容", 90.0, "本年新制作数量", 200.0, "7"),
			stops: stops,
			want:  "信息内容本年新制作数量\t7",
		},
		{
			name:  "a line without a wide gap is prose: a small gap at a stop is no tab",
			line:  line(700, 49.1, "行政事业性收费", 120.0, "16"),
			stops: stops,
			want:  "行政事业性收费16",
		},
		{
			name:  "a small gap away from a stop is no tab",
			line:  line(700, 50.0, "行政事业性收费", 122.0, "16", 190.0, "+1"),
			stops: stops,
			want:  "行政事业性收费16\t+1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.line.text(true, tt.stops); got != tt.want {
				t.Errorf("text = %q, want %q", got, tt.want)
			}
		})
	}
}

func BenchmarkTabStops(b *testing.B) {
	var lines []*textLine
	for i := 0; i < 60; i++ {
		lines = append(lines, line(float64(800-12*i), 50.0, "三、本年度办理结果", 163.2, "0", 198.6, "1", 234.1, "2", 269.5, "3"))
	}
	b.ResetTimer()
	for b.Loop() {
		tabStops(lines)
	}
}
