package road

// Class is the functional class of a road, used for drawing maps and for
// summaries. Speeds are decided by the importer, not by the class.
type Class uint8

// Road classes, from the fastest to the slowest. The values are stored in
// graph files: append new classes at the end.
const (
	ClassOther Class = iota
	ClassMotorway
	ClassTrunk
	ClassPrimary
	ClassSecondary
	ClassTertiary
	ClassUnclassified
	ClassResidential
	ClassService
	ClassLivingStreet
	numClasses
)

var classNames = [...]string{
	ClassOther:        "other",
	ClassMotorway:     "motorway",
	ClassTrunk:        "trunk",
	ClassPrimary:      "primary",
	ClassSecondary:    "secondary",
	ClassTertiary:     "tertiary",
	ClassUnclassified: "unclassified",
	ClassResidential:  "residential",
	ClassService:      "service",
	ClassLivingStreet: "living_street",
}

// String returns the OpenStreetMap-style name of the class ("primary").
func (c Class) String() string {
	if c < numClasses {
		return classNames[c]
	}
	return "other"
}

// ParseClass returns the class named s (as printed by String), and false
// if there is none.
func ParseClass(s string) (Class, bool) {
	for c, n := range classNames {
		if n == s {
			return Class(c), true
		}
	}
	return ClassOther, false
}
