package arv_test

import (
	"reflect"
	"testing"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/scenarios"
	"github.com/arv-project/arv/yaml"
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

// builtinScenario returns a built-in scenario as the yaml package reads it.
func builtinScenario(t *testing.T, name string) *arv.Scenario {
	t.Helper()
	data, ok := scenarios.Get(name)
	if !ok {
		t.Fatalf("no built-in scenario %q", name)
	}
	doc, err := yaml.ParseScenario(data, name+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return doc.Scenario
}

func TestScenarioClone(t *testing.T) {
	small := func() *arv.Scenario {
		s := validScenario()
		s.DemandGrid = &arv.DemandGrid{CellKm: 5, Population: 100}
		s.StandbyPoints = []arv.Base{{ID: "sp", Name: "SP", At: "51,-2"}}
		s.Demand.Hotspots = []arv.Hotspot{{Name: "H", At: "51,-2", Share: 0.1}}
		s.KeySites = []arv.KeySite{{Name: "K", At: "51,-2"}}
		s.MutualAid.Neighbours = []arv.Neighbour{{Name: "N"}}
		return s
	}
	for _, c := range []struct {
		name string
		s    *arv.Scenario
	}{{"small", small()}, {"kent", builtinScenario(t, "kent")}, {"wiltshire", builtinScenario(t, "wiltshire")}} {
		cl := c.s.Clone()
		if !reflect.DeepEqual(cl, c.s) {
			t.Errorf("%s: the clone differs from the original", c.name)
		}
		if p := shared(reflect.ValueOf(cl), reflect.ValueOf(c.s), "Scenario"); p != "" {
			t.Errorf("%s: the clone shares %s with the original", c.name, p)
		}
	}
	// A change to the copy leaves the original alone.
	s := small()
	c := s.Clone()
	c.ARVs[0].Shifts[0] = "changed"
	c.DemandGrid.Population = 1
	c.Demand.HourOfDay[0] = 99
	if s.ARVs[0].Shifts[0] == "changed" || s.DemandGrid.Population == 1 || s.Demand.HourOfDay[0] == 99 {
		t.Error("changing the clone changed the original")
	}
	if (*arv.Scenario)(nil).Clone() != nil {
		t.Error("the clone of a nil scenario is not nil")
	}
}
