package plan

import (
	"reflect"
	"testing"

	"github.com/arv-project/arv"
)

// shared reports the first slice backing array or pointer that a and b
// share, walking them together; it also catches fields added to the
// scenario later that Clone does not copy.
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		return shared(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.Len() > 0 && b.Len() > 0 && a.Pointer() == b.Pointer() {
			return path
		}
		for i := 0; i < min(a.Len(), b.Len()); i++ {
			if p := shared(a.Index(i), b.Index(i), path+"[]"); p != "" {
				return p
			}
		}
	case reflect.Map:
		if !a.IsNil() && a.Pointer() == b.Pointer() {
			return path
		}
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if p := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
				return p
			}
		}
	}
	return ""
}

func TestClone(t *testing.T) {
	for _, s := range []struct {
		name string
		s    *arv.Scenario
	}{{"testshire", testshire()}, {"kent", builtin(t, "kent")}, {"wiltshire", builtin(t, "wiltshire")}} {
		c := Clone(s.s)
		if !reflect.DeepEqual(c, s.s) {
			t.Errorf("%s: the clone differs from the original", s.name)
		}
		if p := shared(reflect.ValueOf(c), reflect.ValueOf(s.s), "Scenario"); p != "" {
			t.Errorf("%s: the clone shares %s with the original", s.name, p)
		}
	}
	// A change to the copy leaves the original alone.
	s := testshire()
	c := Clone(s)
	c.ARVs[0].Shifts[0] = "changed"
	c.DemandGrid.Population = 1
	c.Demand.HourOfDay[0] = 99
	if s.ARVs[0].Shifts[0] == "changed" || s.DemandGrid.Population == 1 || s.Demand.HourOfDay[0] == 99 {
		t.Error("changing the clone changed the original")
	}
	if Clone(nil) != nil {
		t.Error("Clone(nil) is not nil")
	}
}
