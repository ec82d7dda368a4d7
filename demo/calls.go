package demo

import "github.com/arv-project/arv"

// callKind is a kind of call with what the record says about it.
type callKind struct {
	what    string
	ind     arv.Indicators
	limb    arv.Limb
	threat  string
	tactics string
	// outcome is the stand-down reason after the ARV arrived; before
	// says why it was stood down on the way.
	outcome, before string
}

// calls are the kinds of call the generator draws from, equally likely.
var calls = []callKind{
	{"Man seen pointing a handgun at people outside shops", arv.Indicators{FirearmSeen: true}, arv.LimbWeapon,
		"High: a firearm seen in a public place.", "Contain at a distance; ARV to challenge from cover.",
		"Suspect detained; imitation pistol recovered.", "Suspect detained by unarmed officers; the gun was an imitation."},
	{"Shots heard; caller saw a man with a long-barrelled gun crossing a field", arv.Indicators{FirearmSeen: true, FirearmHeard: true}, arv.LimbWeapon,
		"High: shots fired, gunman at large.", "Search from the last sighting; cordon the lanes.",
		"Man traced: a licensed shotgun holder shooting vermin; no offence.", "Caller rang back: a farmer shooting pigeons; licence confirmed."},
	{"Man threatening shop staff with a large knife, saying he will kill them", arv.Indicators{BladedWeapon: true, ThreatsToKill: true}, arv.LimbWeapon,
		"High: bladed weapon and threats to kill, staff and public present.", "Contain; Taser and baton rounds available; negotiate.",
		"Suspect detained after Taser discharge; knife recovered.", "Suspect detained by the local unit before the ARV arrived."},
	{"Domestic: ex-partner seen with a shotgun outside the house, threatening to kill", arv.Indicators{FirearmSeen: true, ThreatsToKill: true}, arv.LimbWeapon,
		"High: firearm and threats to kill a known person.", "Protect the victim; contain the address; call-out.",
		"Suspect arrested; shotgun seized; victim safe.", "Suspect arrested on the road by unarmed officers; shotgun seized."},
	{"Man barricaded in a flat with his partner, says he has a gun and will use it", arv.Indicators{Hostage: true, ThreatsToKill: true}, arv.LimbDangerous,
		"High: hostage and threats to kill; weapon claimed, not seen.", "Contain; negotiator requested; no forced entry.",
		"Man surrendered to negotiators; no firearm found; partner unhurt.", "Partner left the flat safely; man surrendered to local officers."},
	{"Fight in the street, one man with a machete; one person injured", arv.Indicators{BladedWeapon: true, OtherWeapon: true, Casualties: 1}, arv.LimbWeapon,
		"High: weapon used, one casualty, offenders on scene.", "Contain; protect paramedics; arrest.",
		"Two men arrested; machete recovered; casualty to hospital.", "Offenders fled; area searched by unarmed units; ARV released."},
	{"Aggressive dog attacking sheep and people on a footpath; owner cannot control it", arv.Indicators{}, arv.LimbAnimal,
		"Medium: dangerous animal, people and livestock at risk.", "Destroy the animal if it cannot be contained safely.",
		"Dog contained by the dog handler; no shots fired.", "Owner regained control of the dog; dog handler attending."},
	{"Car occupants seen loading a pistol in a car park; car now on the main road", arv.Indicators{FirearmSeen: true}, arv.LimbWeapon,
		"High: firearm in a moving vehicle.", "Track the vehicle; enforced stop with support.",
		"Vehicle stopped; occupants arrested; pistol recovered.", "Vehicle stopped by roads policing; nothing found; ARV released."},
}

// decision is the ITFC's decision on a call drawn as d: the NDM record
// of an authorisation, or of a refusal.
func decision(d draw) arv.DecisionRequest {
	c := calls[d.call]
	r := arv.DecisionRequest{
		Authorised: d.authorised,
		NDM: arv.NDM{
			Information:     "999 call: " + c.what + " (" + d.address + ").",
			Threat:          c.threat,
			PowersAndPolicy: "APP armed policing: reason to suppose; s3 Criminal Law Act 1967 and common law.",
			Options:         "Armed deployment; unarmed officers with Taser; gather more information first.",
			ActionAndReview: "Nearest ARV to attend; review on arrival and as information comes in.",
		},
	}
	if d.authorised {
		r.Limb, r.Tactics = c.limb, c.tactics
		return r
	}
	r.NDM.Threat = "Low on what is known: the account is second-hand and no weapon has been confirmed."
	r.NDM.PowersAndPolicy = "APP armed policing: no reason to suppose yet."
	r.NDM.ActionAndReview = "Unarmed officers attend; review if a weapon is confirmed."
	r.Rationale = "Not authorised: the caller's account is second-hand and nothing confirms a weapon; unarmed officers attend."
	return r
}
