package pdftext

import (
	"math"

	"github.com/ledongthuc/pdf"
)

// char is one glyph placed on the page (device space, y up).
type char struct {
	text   string
	x0, x1 float64 // horizontal extent
	y      float64 // baseline
	size   float64 // font size on the page
}

// segment is a ruling line: horizontal (y0 == y1) or vertical (x0 == x1).
type segment struct {
	x0, y0, x1, y1 float64
}

func (s segment) horizontal() bool { return s.y0 == s.y1 }

// pageContent is what one page draws.
type pageContent struct {
	chars  []char
	lines  []segment
	images int
}

// stop aborts an interpretation from inside a callback; the page reader recovers it.
type stop struct{ err error }

// gstate is the part of the graphics state text and rulings need.
type gstate struct {
	ctm                      matrix
	font                     *font
	size, tc, tw, th, tl, ts float64
}

// interpreter runs content streams.
type interpreter struct {
	out    *pageContent
	fonts  []*font // every font loaded, to count the codes none could decode
	budget func(int)
	depth  int
}

// run interprets a content stream (or array of streams) with its resources.
func (in *interpreter) run(contents, resources pdf.Value, base matrix) {
	if in.depth > 8 {
		return
	}
	g := gstate{ctm: base, th: 1}
	var (
		stack     []gstate
		tm, tlm   matrix
		path      []segment
		cx, cy    float64 // current point (user space)
		sx, sy    float64 // subpath start
		fontCache = map[string]*font{}
	)
	point := func(x, y float64) (float64, float64) { return g.ctm.apply(x, y) }
	addLine := func(x0, y0, x1, y1 float64) {
		ax, ay := point(x0, y0)
		bx, by := point(x1, y1)
		path = append(path, segment{ax, ay, bx, by})
	}
	show := func(s string) {
		if g.font == nil {
			return
		}
		for _, gl := range g.font.decode(s) {
			trm := matrix{g.size * g.th, 0, 0, g.size, 0, g.ts}.mul(tm).mul(g.ctm)
			adv := gl.width*g.size + g.tc
			if gl.space {
				adv += g.tw
			}
			adv *= g.th
			x0, y0 := trm.apply(0, 0)
			x1, _ := (matrix{1, 0, 0, 1, 0, 0}).mul(tm).mul(g.ctm).apply(gl.width*g.size*g.th, 0)
			size := math.Hypot(trm[2], trm[3])
			if gl.text != "" {
				in.out.chars = append(in.out.chars, char{text: gl.text, x0: math.Min(x0, x1), x1: math.Max(x0, x1), y: y0, size: size})
			}
			tm = translate(adv, 0).mul(tm)
		}
	}
	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		in.budget(1)
		args := popAll(stk)
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "q":
			if len(stack) < 64 {
				stack = append(stack, g)
			}
		case "Q":
			if n := len(stack); n > 0 {
				g, stack = stack[n-1], stack[:n-1]
			}
		case "cm":
			if len(args) == 6 {
				g.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(g.ctm)
			}
		case "m":
			cx, cy = num(0), num(1)
			sx, sy = cx, cy
		case "l":
			addLine(cx, cy, num(0), num(1))
			cx, cy = num(0), num(1)
		case "c":
			cx, cy = num(4), num(5)
		case "v", "y":
			cx, cy = num(2), num(3)
		case "h":
			addLine(cx, cy, sx, sy)
			cx, cy = sx, sy
		case "re":
			x, y, w, h := num(0), num(1), num(2), num(3)
			addLine(x, y, x+w, y)
			addLine(x+w, y, x+w, y+h)
			addLine(x+w, y+h, x, y+h)
			addLine(x, y+h, x, y)
			cx, cy, sx, sy = x, y, x, y
		case "S", "s":
			in.keep(path, false)
			path = path[:0]
		case "f", "F", "f*", "B", "B*", "b", "b*":
			in.keep(path, true)
			path = path[:0]
		case "n":
			path = path[:0]
		case "BT":
			tm, tlm = identity, identity
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				f, ok := fontCache[name]
				if !ok {
					f = newFont(resources.Key("Font").Key(name), in.budget)
					fontCache[name] = f
					in.fonts = append(in.fonts, f)
				}
				g.font, g.size = f, num(1)
			}
		case "Tc":
			g.tc = num(0)
		case "Tw":
			g.tw = num(0)
		case "Tz":
			g.th = num(0) / 100
		case "TL":
			g.tl = num(0)
		case "Ts":
			g.ts = num(0)
		case "Td", "TD":
			if op == "TD" {
				g.tl = -num(1)
			}
			tlm = translate(num(0), num(1)).mul(tlm)
			tm = tlm
		case "Tm":
			if len(args) == 6 {
				tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				tm = tlm
			}
		case "T*":
			tlm = translate(0, -g.tl).mul(tlm)
			tm = tlm
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "'", "\"":
			if op == "\"" && len(args) == 3 {
				g.tw, g.tc = num(0), num(1)
				args = args[2:]
			}
			tlm = translate(0, -g.tl).mul(tlm)
			tm = tlm
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "TJ":
			if len(args) == 1 {
				a := args[0]
				n := a.Len()
				in.budget(n)
				for i := 0; i < n; i++ {
					x := a.Index(i)
					if x.Kind() == pdf.String {
						show(x.RawString())
					} else {
						tm = translate(-x.Float64()/1000*g.size*g.th, 0).mul(tm)
					}
				}
			}
		case "Do":
			if len(args) == 1 {
				xo := resources.Key("XObject").Key(args[0].Name())
				switch xo.Key("Subtype").Name() {
				case "Image":
					in.out.images++
				case "Form":
					m := identity
					if mx := xo.Key("Matrix"); mx.Len() == 6 {
						for i := range 6 {
							m[i] = mx.Index(i).Float64()
						}
					}
					res := xo.Key("Resources")
					if res.IsNull() {
						res = resources
					}
					in.depth++
					in.run(xo, res, m.mul(g.ctm))
					in.depth--
				}
			}
		case "BI":
			in.out.images++
		}
	})
}

// keep records the horizontal and vertical lines of a painted path: every segment
// of a stroked path, and the edges of thin filled rectangles (rules drawn as
// boxes). A large filled box is a shaded cell, not a rule.
func (in *interpreter) keep(path []segment, filled bool) {
	const tol = 0.5
	if filled {
		// A filled path is usually one rectangle (four segments).
		for i := 0; i+3 < len(path); i += 4 {
			minX, maxX := math.Inf(1), math.Inf(-1)
			minY, maxY := math.Inf(1), math.Inf(-1)
			for _, s := range path[i : i+4] {
				minX, maxX = math.Min(minX, math.Min(s.x0, s.x1)), math.Max(maxX, math.Max(s.x0, s.x1))
				minY, maxY = math.Min(minY, math.Min(s.y0, s.y1)), math.Max(maxY, math.Max(s.y0, s.y1))
			}
			switch {
			case maxY-minY <= 3 && maxX-minX > 3:
				y := (minY + maxY) / 2
				in.out.lines = append(in.out.lines, segment{minX, y, maxX, y})
			case maxX-minX <= 3 && maxY-minY > 3:
				x := (minX + maxX) / 2
				in.out.lines = append(in.out.lines, segment{x, minY, x, maxY})
			}
		}
		return
	}
	for _, s := range path {
		switch {
		case math.Abs(s.y0-s.y1) <= tol && math.Abs(s.x0-s.x1) > tol:
			y := (s.y0 + s.y1) / 2
			in.out.lines = append(in.out.lines, segment{math.Min(s.x0, s.x1), y, math.Max(s.x0, s.x1), y})
		case math.Abs(s.x0-s.x1) <= tol && math.Abs(s.y0-s.y1) > tol:
			x := (s.x0 + s.x1) / 2
			in.out.lines = append(in.out.lines, segment{x, math.Min(s.y0, s.y1), x, math.Max(s.y0, s.y1)})
		}
	}
}
