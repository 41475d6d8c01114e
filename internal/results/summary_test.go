package results

import "testing"

func TestDescribe(t *testing.T) {
	st := Describe([]float64{4, 1, 3, 2})
	if st.N != 4 || st.Mean != 2.5 || st.Min != 1 || st.Max != 4 || st.Median != 2.5 {
		t.Fatalf("%+v", st)
	}
	// sd = 1.291; t(0.975, 3) = 3.182; half width = 3.182 * 1.291 / 2 = 2.054
	if d := st.CI95[1] - st.Mean; d < 2.05 || d > 2.06 {
		t.Fatalf("ci95 half width %v, want 2.054", d)
	}
	if one := Describe([]float64{7}); one.CI95 != [2]float64{7, 7} || one.SD != 0 {
		t.Fatalf("%+v", one)
	}
	if Describe(nil).N != 0 {
		t.Fatal("empty sample")
	}
}
