package layout

import "math"

func circle(n int) []Point {
	out := make([]Point, n)
	for i := range out {
		a := 2*math.Pi*float64(i)/float64(n) - math.Pi/2
		out[i] = Point{0.5 + 0.45*math.Cos(a), 0.5 + 0.45*math.Sin(a)}
	}
	return out
}
